using System.Collections;
using System.Reflection;
using System.Text;

namespace NodeOps.Reliability.Tests.Secrets;

/// <summary>
/// Collects everything a user could see from engine calls: the verbose and debug streams as the cmdlets
/// produce them (a <see cref="PipelineBridge"/> with both on, used as the request tracer), the explanation
/// of where credentials came from, each result with every public property, and each error as PowerShell
/// would show it (message, recommended action, target) plus the exception's full text.
/// </summary>
internal sealed class LeakCapture : IDisposable
{
    private readonly StringBuilder _text = new();
    private readonly object _gate = new();

    public LeakCapture()
    {
        Bridge = new PipelineBridge(m => Append(m.ToString() ?? string.Empty), new PipelineBridgeOptions { Verbose = true, Debug = true });
    }

    public PipelineBridge Bridge { get; }

    public int Errors { get; private set; }

    public int Results { get; private set; }

    public string Text
    {
        get
        {
            Bridge.Drain();
            lock (_gate)
            {
                return _text.ToString();
            }
        }
    }

    public void Append(string text)
    {
        lock (_gate)
        {
            _text.AppendLine(text);
        }
    }

    public async Task RunAsync(EngineOperation operation, NodeOpsClient client)
    {
        Append($"== {operation}");
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var result = await operation.Run(client, timeout.Token);
            Results++;
            Dump(result, depth: 0);
        }
        catch (Exception ex)
        {
            Errors++;
            var report = ErrorReport.From(ex, operation.Name);
            Append($"{report.ErrorId} {report.Category}: {report.Message}");
            Append($"recommended: {report.RecommendedAction}");
            Append(ex.ToString());
            if (ex is NodeOpsApiException api)
            {
                Append($"raw: {api.RawBody} | provider: {api.ProviderCode} {api.ProviderMessage} | request id: {api.RequestId} | {api.Method} {api.RequestPath}");
            }
        }

        Bridge.Drain();
    }

    public void Dispose() => Bridge.Dispose();

    /// <summary>Every public property of results, a few levels deep: what Format-List * would print.</summary>
    private void Dump(object? value, int depth)
    {
        if (value is null || depth > 3)
        {
            return;
        }

        Append(value.ToString() ?? string.Empty);
        if (value is string || value.GetType().IsPrimitive || value is Uri or DateTimeOffset or Enum)
        {
            return;
        }

        if (value is IEnumerable items)
        {
            foreach (var item in items)
            {
                Dump(item, depth + 1);
            }

            return;
        }

        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0)
            {
                Dump(property.GetValue(value), depth + 1);
            }
        }
    }
}
