namespace NodeOps.Emulator.VoltagePark;

internal enum IdempotencyOutcome
{
    /// <summary>New key: the caller processes the request and then calls Complete (or Abandon).</summary>
    Started,

    /// <summary>Same key, same request, finished: send the cached status and body.</summary>
    Replay,

    /// <summary>Same key while the first request is still processing: 409.</summary>
    InProgress,

    /// <summary>Same key with another request: 422.</summary>
    Mismatch,
}

/// <summary>
/// The Idempotency-Key semantics of seed 000: completed or failed responses are kept 24 h and replayed with
/// their original status; a key in progress answers 409 (the lock expires after 5 min); a key reused for a
/// different request answers 422.
/// </summary>
internal sealed class IdempotencyCache
{
    private static readonly TimeSpan CompletedTtl = TimeSpan.FromHours(24);
    private static readonly TimeSpan InProgressTtl = TimeSpan.FromMinutes(5);

    private readonly object _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public (IdempotencyOutcome Outcome, int Status, byte[] Body) Begin(string key, string fingerprint, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var entry) && entry.ExpiresAt > now)
            {
                if (!string.Equals(entry.Fingerprint, fingerprint, StringComparison.Ordinal))
                {
                    return (IdempotencyOutcome.Mismatch, 0, []);
                }

                return entry.InProgress
                    ? (IdempotencyOutcome.InProgress, 0, [])
                    : (IdempotencyOutcome.Replay, entry.Status, entry.Body);
            }

            _entries[key] = new Entry { Fingerprint = fingerprint, InProgress = true, ExpiresAt = now + InProgressTtl };
            if (_entries.Count > 100_000)
            {
                Purge(now);
            }

            return (IdempotencyOutcome.Started, 0, []);
        }
    }

    public void Complete(string key, int status, byte[] body, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var entry))
            {
                entry.InProgress = false;
                entry.Status = status;
                entry.Body = body;
                entry.ExpiresAt = now + CompletedTtl;
            }
        }
    }

    public void Abandon(string key)
    {
        lock (_gate)
        {
            _entries.Remove(key);
        }
    }

    private void Purge(DateTimeOffset now)
    {
        foreach (var key in _entries.Where(e => e.Value.ExpiresAt <= now).Select(e => e.Key).ToList())
        {
            _entries.Remove(key);
        }
    }

    private sealed class Entry
    {
        public required string Fingerprint { get; init; }

        public bool InProgress { get; set; }

        public int Status { get; set; }

        public byte[] Body { get; set; } = [];

        public DateTimeOffset ExpiresAt { get; set; }
    }
}
