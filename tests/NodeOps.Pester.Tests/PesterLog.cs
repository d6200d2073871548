using System.Management.Automation;
using System.Text;
using Xunit.Abstractions;

namespace NodeOps.Pester.Tests;

/// <summary>
/// Pester's report (Write-Host, which a hosted runspace turns into information records) and the warning and
/// error streams, line by line into the test's output, so a CI log shows what ran and what failed.
/// </summary>
internal sealed class PesterLog(ITestOutputHelper output) : IDisposable
{
    private readonly object _gate = new();
    private readonly StringBuilder _line = new();
    private readonly Queue<string> _tail = new();
    private bool _closed;

    public void Attach(PSDataStreams streams)
    {
        streams.Information.DataAdded += (_, e) => OnInformation(streams.Information[e.Index]);
        streams.Warning.DataAdded += (_, e) => Line("WARNING: " + streams.Warning[e.Index].Message);
        streams.Error.DataAdded += (_, e) =>
        {
            var error = streams.Error[e.Index];
            Line($"ERROR: {error} ({error.FullyQualifiedErrorId})");
        };
    }

    /// <summary>The last lines written, for a run that never produced a result.</summary>
    public string Tail(int lines)
    {
        lock (_gate)
        {
            return string.Join("\n", _tail.Skip(Math.Max(0, _tail.Count - lines)));
        }
    }

    /// <summary>Writes a line Write-Host -NoNewLine left open.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            if (_line.Length > 0)
            {
                Emit(_line.ToString());
                _line.Clear();
            }
        }
    }

    // A pipeline that ignored Stop() may still write after the test ended, when ITestOutputHelper throws.
    public void Dispose()
    {
        Flush();
        lock (_gate)
        {
            _closed = true;
        }
    }

    private void OnInformation(InformationRecord record)
    {
        lock (_gate)
        {
            // Pester writes a test's name and its time with two Write-Host calls, the first -NoNewLine.
            if (record.MessageData is HostInformationMessage { NoNewLine: true } partial)
            {
                _line.Append(partial.Message);
                return;
            }

            _line.Append(record.MessageData is HostInformationMessage message ? message.Message : record.MessageData?.ToString());
            // One Write-Host may carry several lines (a failure's message and stack trace).
            foreach (var line in _line.ToString().Split('\n'))
            {
                Emit(line.TrimEnd('\r'));
            }

            _line.Clear();
        }
    }

    private void Line(string text)
    {
        lock (_gate)
        {
            Flush();
            foreach (var line in text.Split('\n'))
            {
                Emit(line.TrimEnd('\r'));
            }
        }
    }

    private void Emit(string line)
    {
        _tail.Enqueue(line);
        if (_tail.Count > 200)
        {
            _tail.Dequeue();
        }

        if (!_closed)
        {
            output.WriteLine(line);
        }
    }
}
