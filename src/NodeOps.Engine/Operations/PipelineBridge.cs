using System.Collections.Concurrent;

namespace NodeOps.Engine;

/// <summary>Settings of a <see cref="PipelineBridge"/>.</summary>
public sealed class PipelineBridgeOptions
{
    /// <summary>Work items running at once; <see cref="PipelineBridge.Start"/> waits (pumping messages) for a free slot.</summary>
    public int MaxConcurrency { get; init; } = 16;

    /// <summary>
    /// Objects posted with <see cref="PipelineBridge.WriteObjectAsync"/> that may wait for the pipeline thread
    /// before producers are held back, so a slow consumer never makes NodeOps buffer a whole fleet.
    /// </summary>
    public int OutputBuffer { get; init; } = 256;

    /// <summary>Forward request traces to the verbose stream (method, URL, status, time, attempt).</summary>
    public bool Verbose { get; init; }

    /// <summary>Forward redacted bodies and "sending" lines to the debug stream.</summary>
    public bool Debug { get; init; }
}

/// <summary>
/// Runs engine work in the background and hands its results, errors, progress and request traces to the
/// one thread allowed to write to the PowerShell pipeline. Producers (any thread) post messages; the
/// pipeline thread calls <see cref="Start"/>, <see cref="Drain"/> and <see cref="WaitAll"/>, and the
/// delivery callback runs only inside those calls, on that thread.
/// </summary>
/// <remarks>
/// Cancelling the token given to the constructor (the cmdlet's <c>StopProcessing</c>) cancels every work item
/// and wakes a blocked <see cref="WaitAll"/> with <see cref="OperationCanceledException"/>. If the delivery
/// callback throws (for example because a downstream <c>Select-Object -First</c> stopped the pipeline), the
/// work is cancelled and the exception propagates to the caller.
/// </remarks>
public sealed class PipelineBridge : IRequestTracer, IDisposable
{
    private static readonly object Completed = new();

    private readonly BlockingCollection<object> _queue = new(new ConcurrentQueue<object>());
    private readonly CancellationTokenSource _cts;
    private readonly SemaphoreSlim _outputSlots;
    private readonly Action<PipelineMessage> _deliver;
    private readonly PipelineBridgeOptions _options;
    private int _inFlight;
    private volatile bool _disposed;

    public PipelineBridge(Action<PipelineMessage> deliver, PipelineBridgeOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deliver);
        _deliver = deliver;
        _options = options ?? new PipelineBridgeOptions();
        if (_options.MaxConcurrency < 1 || _options.OutputBuffer < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxConcurrency and OutputBuffer must be at least 1.");
        }

        _outputSlots = new SemaphoreSlim(_options.OutputBuffer, _options.OutputBuffer);
        _cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    /// <summary>Cancelled when the caller's token is, when delivery fails, or on <see cref="Dispose"/>.</summary>
    public CancellationToken CancellationToken => _cts.Token;

    /// <summary>Work items started and not yet finished (as seen by the pipeline thread).</summary>
    public int InFlight => _inFlight;

    /// <summary>Objects and messages posted but not yet delivered.</summary>
    public int Pending => _queue.Count;

    bool IRequestTracer.IncludeBodies => _options.Debug;

    // ---- producers: any thread ----------------------------------------------------------------

    /// <summary>Posts an output object without waiting. For single results; use <see cref="WriteObjectAsync"/> in loops.</summary>
    public void WriteObject(object value) => Post(new PipelineOutput(value));

    /// <summary>Posts an output object, waiting while <see cref="PipelineBridgeOptions.OutputBuffer"/> objects are undelivered.</summary>
    public async ValueTask WriteObjectAsync(object value, CancellationToken cancellationToken = default)
    {
        await _outputSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!Post(new Slotted(new PipelineOutput(value))))
        {
            _outputSlots.Release();
        }
    }

    /// <summary>Posts a non-terminating error about <paramref name="target"/>.</summary>
    public void WriteError(Exception exception, object? target = null) => Post(new PipelineError(ErrorReport.From(exception, target)));

    public void WriteVerbose(string text) => Post(new PipelineText(PipelineTextKind.Verbose, text));

    public void WriteDebug(string text) => Post(new PipelineText(PipelineTextKind.Debug, text));

    public void WriteWarning(string text) => Post(new PipelineText(PipelineTextKind.Warning, text));

    public void WriteProgress(ProgressUpdate update) => Post(new PipelineProgress(update));

    /// <summary>Request traces: results and retries to verbose; "sending" lines and bodies to debug.</summary>
    void IRequestTracer.Trace(RequestTraceEvent traceEvent)
    {
        var kind = traceEvent.Kind switch
        {
            TraceEventKind.Received or TraceEventKind.Failed or TraceEventKind.Retrying => PipelineTextKind.Verbose,
            _ => PipelineTextKind.Debug,
        };
        var wanted = kind == PipelineTextKind.Verbose ? _options.Verbose || _options.Debug : _options.Debug;
        if (wanted)
        {
            Post(new PipelineText(kind, traceEvent.ToString()));
        }
    }

    // ---- the pipeline thread --------------------------------------------------------------------

    /// <summary>
    /// Starts <paramref name="work"/> in the background. When <see cref="PipelineBridgeOptions.MaxConcurrency"/>
    /// items are running, first delivers messages until one finishes. An exception from the work becomes a
    /// non-terminating error about <paramref name="target"/>; cancellation by the bridge's token is silent.
    /// </summary>
    public void Start(Func<PipelineBridge, CancellationToken, Task> work, object? target = null)
    {
        ArgumentNullException.ThrowIfNull(work);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var token = _cts.Token;
        while (_inFlight >= _options.MaxConcurrency)
        {
            Deliver(_queue.Take(token));
        }

        token.ThrowIfCancellationRequested();
        _inFlight++;
        _ = Task.Run(
            async () =>
            {
                try
                {
                    await work(this, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    // Stopping: nobody is reading any more.
                }
                catch (Exception ex)
                {
                    WriteError(ex, target);
                }
                finally
                {
                    Post(Completed);
                }
            },
            CancellationToken.None);
    }

    /// <summary>Delivers whatever has arrived, without waiting.</summary>
    public void Drain()
    {
        while (_queue.TryTake(out var item))
        {
            Deliver(item);
        }
    }

    /// <summary>Delivers messages until every started work item has finished and nothing is left.</summary>
    public void WaitAll()
    {
        var token = _cts.Token;
        while (_inFlight > 0)
        {
            Deliver(_queue.Take(token));
        }

        Drain();
    }

    /// <summary><see cref="Start"/> then <see cref="WaitAll"/>.</summary>
    public void Run(Func<PipelineBridge, CancellationToken, Task> work, object? target = null)
    {
        Start(work, target);
        WaitAll();
    }

    /// <summary>Cancels outstanding work. Messages posted afterwards are dropped.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;

        // The token source is cancelled, not disposed: work still finishing may be registering on its token.
        _cts.Cancel();
        _queue.CompleteAdding();
    }

    private void Deliver(object item)
    {
        if (ReferenceEquals(item, Completed))
        {
            _inFlight--;
            return;
        }

        var slotted = item as Slotted;
        try
        {
            _deliver(slotted?.Message ?? (PipelineMessage)item);
        }
        catch
        {
            // The consumer failed (often: the pipeline was stopped downstream). Stop the producers too.
            _cts.Cancel();
            throw;
        }
        finally
        {
            if (slotted is not null)
            {
                _outputSlots.Release();
            }
        }
    }

    private bool Post(object item)
    {
        if (_disposed)
        {
            return false;
        }

        try
        {
            return _queue.TryAdd(item);
        }
        catch (InvalidOperationException)
        {
            // Adding completed by Dispose between the check and the add.
            return false;
        }
    }

    /// <summary>An output that holds one of the bounded output slots until delivered.</summary>
    private sealed record Slotted(PipelineMessage Message);
}
