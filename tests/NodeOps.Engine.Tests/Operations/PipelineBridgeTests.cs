using System.Collections.Concurrent;

namespace NodeOps.Engine.Tests.Operations;

public sealed class PipelineBridgeTests
{
    [Fact]
    public void Delivers_every_message_on_the_thread_that_pumps()
    {
        var pipelineThread = Environment.CurrentManagedThreadId;
        var deliveredOn = new ConcurrentBag<int>();
        var outputs = new List<object>();
        using var bridge = new PipelineBridge(m =>
        {
            deliveredOn.Add(Environment.CurrentManagedThreadId);
            if (m is PipelineOutput o)
            {
                outputs.Add(o.Value);
            }
        });

        var workThreads = new ConcurrentBag<int>();
        for (var i = 0; i < 8; i++)
        {
            var n = i;
            bridge.Start(async (b, ct) =>
            {
                await Task.Yield();
                workThreads.Add(Environment.CurrentManagedThreadId);
                await b.WriteObjectAsync(n, ct);
                b.WriteVerbose("done " + n);
            });
        }

        bridge.WaitAll();

        Assert.Equal(Enumerable.Range(0, 8), outputs.Cast<int>().Order());
        Assert.All(deliveredOn, id => Assert.Equal(pipelineThread, id));
        Assert.DoesNotContain(pipelineThread, workThreads);
        Assert.Equal(0, bridge.InFlight);
    }

    [Fact]
    public void A_failing_work_item_becomes_a_non_terminating_error_about_its_target_and_the_rest_go_on()
    {
        var errors = new List<ErrorReport>();
        var outputs = new List<object>();
        using var bridge = new PipelineBridge(m =>
        {
            switch (m)
            {
                case PipelineError e: errors.Add(e.Report); break;
                case PipelineOutput o: outputs.Add(o.Value); break;
            }
        });
        var node = new NodeRef(CloudProvider.Together, "i-2", "c-1");

        bridge.Start((_, _) => throw new NodeOpsException(ErrorKind.NotFound, "gone") { Target = "i-2" }, node);
        bridge.Start((b, _) => { b.WriteObject("ok"); return Task.CompletedTask; });
        bridge.WaitAll();

        var error = Assert.Single(errors);
        Assert.Equal("NotFound", error.ErrorId);
        Assert.Equal(NodeOpsErrorCategory.ObjectNotFound, error.Category);
        Assert.Same(node, error.Target);
        Assert.Equal(["ok"], outputs);
    }

    [Fact]
    public void Never_runs_more_than_MaxConcurrency_work_items_at_once()
    {
        var running = 0;
        var peak = 0;
        var completed = 0;
        using var bridge = new PipelineBridge(_ => { }, new PipelineBridgeOptions { MaxConcurrency = 2 });

        for (var i = 0; i < 6; i++)
        {
            bridge.Start(async (_, ct) =>
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref peak, now);
                await Task.Delay(30, ct);
                Interlocked.Decrement(ref running);
                Interlocked.Increment(ref completed);
            });
            Assert.True(bridge.InFlight <= 2);
        }

        bridge.WaitAll();

        Assert.Equal(6, completed);
        Assert.True(peak <= 2, $"peak concurrency {peak}");
    }

    [Fact]
    public async Task Holds_producers_back_while_OutputBuffer_objects_are_undelivered()
    {
        var delivered = 0;
        using var bridge = new PipelineBridge(_ => delivered++, new PipelineBridgeOptions { OutputBuffer = 3 });
        var produced = 0;

        bridge.Start(async (b, ct) =>
        {
            for (var i = 0; i < 20; i++)
            {
                await b.WriteObjectAsync(i, ct);
                Interlocked.Increment(ref produced);
            }
        });

        await Task.Delay(200);
        Assert.Equal(3, Volatile.Read(ref produced));
        Assert.Equal(0, delivered);

        bridge.WaitAll();
        Assert.Equal(20, delivered);
        Assert.Equal(20, produced);
    }

    [Fact]
    public void Cancelling_the_callers_token_wakes_a_blocked_WaitAll_and_cancels_the_work()
    {
        using var stop = new CancellationTokenSource();
        using var bridge = new PipelineBridge(_ => { }, cancellationToken: stop.Token);
        var workSawCancellation = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        bridge.Start(async (_, ct) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                workSawCancellation.SetResult(true);
                throw;
            }
        });

        stop.CancelAfter(100);
        var started = DateTime.UtcNow;
        Assert.ThrowsAny<OperationCanceledException>(bridge.WaitAll);

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
        Assert.True(SpinWait.SpinUntil(() => workSawCancellation.Task.IsCompleted, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void An_exception_from_delivery_propagates_and_cancels_the_work()
    {
        using var bridge = new PipelineBridge(m =>
        {
            if (m is PipelineOutput)
            {
                throw new InvalidOperationException("downstream stopped");
            }
        });
        CancellationToken seen = default;
        bridge.Start(async (b, ct) =>
        {
            seen = ct;
            await b.WriteObjectAsync(1, ct);
            await Task.Delay(Timeout.Infinite, ct);
        });

        Assert.Throws<InvalidOperationException>(bridge.WaitAll);
        Assert.True(seen.IsCancellationRequested);
    }

    [Fact]
    public void Request_traces_go_to_verbose_and_debug_as_asked_and_nowhere_when_neither_is()
    {
        var texts = new List<PipelineText>();
        var received = new RequestTraceEvent(TraceEventKind.Received, CloudProvider.Together, "GET", "https://x/v1/compute/clusters", 2, 200, TimeSpan.FromMilliseconds(12));
        var sending = new RequestTraceEvent(TraceEventKind.Sending, CloudProvider.Together, "GET", "https://x/v1/compute/clusters", 1);
        var body = new RequestTraceEvent(TraceEventKind.Body, CloudProvider.Together, "GET", "https://x", 1, Detail: "response body: {}");

        foreach (var (verbose, debug, expected) in new[]
        {
            (false, false, Array.Empty<PipelineTextKind>()),
            (true, false, [PipelineTextKind.Verbose]),
            (false, true, [PipelineTextKind.Verbose, PipelineTextKind.Debug, PipelineTextKind.Debug]),
        })
        {
            texts.Clear();
            using var bridge = new PipelineBridge(m => texts.Add((PipelineText)m), new PipelineBridgeOptions { Verbose = verbose, Debug = debug });
            IRequestTracer tracer = bridge;
            Assert.Equal(debug, tracer.IncludeBodies);
            tracer.Trace(received);
            tracer.Trace(sending);
            tracer.Trace(body);
            bridge.Drain();
            Assert.Equal(expected, texts.Select(t => t.Kind));
        }

        Assert.Contains("-> 200 in 12 ms (attempt 2)", received.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void After_Dispose_late_posts_are_dropped_and_Start_refuses()
    {
        var delivered = 0;
        var bridge = new PipelineBridge(_ => delivered++);
        bridge.Dispose();

        bridge.WriteObject("late");
        bridge.WriteWarning("late");

        Assert.Equal(0, bridge.Pending);
        Assert.Throws<ObjectDisposedException>(() => bridge.Start((_, _) => Task.CompletedTask));
        Assert.True(bridge.CancellationToken.IsCancellationRequested);
    }

    [Fact]
    public void Progress_and_warnings_arrive_in_posting_order()
    {
        var seen = new List<PipelineMessage>();
        using var bridge = new PipelineBridge(seen.Add);
        bridge.Run((b, _) =>
        {
            b.WriteProgress(new ProgressUpdate(1, "Waiting", "Running", 50));
            b.WriteWarning("careful");
            b.WriteProgress(new ProgressUpdate(1, "Waiting", "Done", Completed: true));
            return Task.CompletedTask;
        });

        Assert.Collection(
            seen,
            m => Assert.Equal(50, Assert.IsType<PipelineProgress>(m).Update.PercentComplete),
            m => Assert.Equal(new PipelineText(PipelineTextKind.Warning, "careful"), m),
            m => Assert.True(Assert.IsType<PipelineProgress>(m).Update.Completed));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
