using NodeOps.Emulator.Faults;
using NodeOps.Emulator.Hosting;

namespace NodeOps.Emulator.Admin;

/// <summary>
/// Provider requests in arrival order. Sequence numbers are assigned on arrival; status and fault are
/// filled in when the request ends. Keeps the newest <see cref="Capacity"/> entries.
/// </summary>
internal sealed class RequestLog
{
    public const int Capacity = 200_000;

    private readonly object _gate = new();
    private readonly List<Entry> _entries = [];
    private long _nextSeq = 1;

    public Entry Begin(Provider provider, string method, string path, string rawTarget, string query, string? idempotencyKey, string? remediationId, string? userAgent, DateTimeOffset time)
    {
        lock (_gate)
        {
            var entry = new Entry
            {
                Seq = _nextSeq++,
                Time = time,
                Provider = provider,
                Method = method,
                Path = path,
                RawTarget = rawTarget,
                Query = query,
                IdempotencyKey = idempotencyKey,
                RemediationId = remediationId,
                UserAgent = userAgent,
            };
            _entries.Add(entry);
            if (_entries.Count > Capacity)
            {
                _entries.RemoveRange(0, _entries.Count - (Capacity * 3 / 4));
            }

            return entry;
        }
    }

    public List<RequestLogEntry> Snapshot(Provider? provider, long since)
    {
        lock (_gate)
        {
            var start = FirstIndexAfter(since);
            var result = new List<RequestLogEntry>(Math.Max(0, _entries.Count - start));
            for (var i = start; i < _entries.Count; i++)
            {
                var e = _entries[i];
                if (provider is null || e.Provider == provider)
                {
                    result.Add(e.ToPublic());
                }
            }

            return result;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
        }
    }

    private int FirstIndexAfter(long since)
    {
        int lo = 0, hi = _entries.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (_entries[mid].Seq <= since)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    internal sealed class Entry
    {
        public long Seq { get; init; }

        public DateTimeOffset Time { get; init; }

        public Provider Provider { get; init; }

        public required string Method { get; init; }

        public required string Path { get; init; }

        public required string RawTarget { get; init; }

        public required string Query { get; init; }

        public string? IdempotencyKey { get; init; }

        public string? RemediationId { get; init; }

        public string? UserAgent { get; init; }

        public string? Body { get; set; }

        public int Status { get; set; }

        public FaultKind Fault { get; set; }

        public RequestLogEntry ToPublic() => new()
        {
            Seq = Seq,
            Time = Time,
            Provider = Provider.Name(),
            Method = Method,
            Path = Path,
            RawTarget = RawTarget,
            Query = Query,
            IdempotencyKey = IdempotencyKey,
            RemediationId = RemediationId,
            UserAgent = UserAgent,
            Body = Body,
            Status = Status,
            Fault = Fault.WireName(),
        };
    }
}
