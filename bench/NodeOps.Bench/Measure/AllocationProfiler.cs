using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace NodeOps.Bench.Measure;

/// <summary>
/// A sampling allocation profile without external tools: the runtime raises an AllocationTick event about
/// every 100 KB allocated, naming the type of the object that crossed the mark, so the counts per type
/// approximate where the bytes go. Used with <c>--alloc-profile</c> to find what an optimisation should target.
/// </summary>
internal sealed class AllocationProfiler : EventListener
{
    private const int AllocationTickEventId = 10;
    private const EventKeywords GcKeyword = (EventKeywords)0x1;

    private readonly ConcurrentDictionary<string, long> _bytesByType = new(StringComparer.Ordinal);
    private volatile bool _recording;

    public void Start() => _recording = true;

    public void Stop() => _recording = false;

    public void Clear() => _bytesByType.Clear();

    /// <summary>The types that crossed the most sampling marks, with their share of the sampled bytes.</summary>
    public IReadOnlyList<(string Type, double Share)> Top(int count)
    {
        var total = _bytesByType.Values.Sum();
        return total == 0
            ? []
            : _bytesByType.OrderByDescending(p => p.Value).Take(count).Select(p => (p.Key, (double)p.Value / total)).ToList();
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!_recording || eventData.EventId != AllocationTickEventId || eventData.PayloadNames is null)
        {
            return;
        }

        var type = ShortName(Payload(eventData, "TypeName") as string ?? "?");
        var amount = Payload(eventData, "AllocationAmount64") is ulong a ? (long)a : 100_000;
        _bytesByType.AddOrUpdate(type, amount, (_, n) => n + amount);
    }

    /// <summary>Async state machine boxes carry their whole generic signature; the method name is what matters.</summary>
    private static string ShortName(string type)
    {
        if (type.StartsWith("AsyncStateMachineBox", StringComparison.Ordinal) || type.StartsWith("System.Runtime.CompilerServices.AsyncTaskMethodBuilder", StringComparison.Ordinal))
        {
            var match = System.Text.RegularExpressions.Regex.Match(type, @"\+<([^>]+)>d");
            return match.Success ? "async " + match.Groups[1].Value : "async ?";
        }

        return type.Length > 80 ? type[..80] + "…" : type;
    }

    private static object? Payload(EventWrittenEventArgs e, string name)
    {
        var index = e.PayloadNames!.IndexOf(name);
        return index >= 0 && e.Payload is { } p && index < p.Count ? p[index] : null;
    }
}
