using System.Management.Automation;
using NodeOps.Engine;

namespace NodeOps.Commands;

/// <summary>
/// Wait-Remediation: polls each remediation until it reaches a terminal state, with a progress bar per
/// remediation, and emits it. A piped remediation that is already terminal (e.g. Voltage Park's Accepted,
/// which cannot be tracked further) is emitted at once without a request.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "Remediation", DefaultParameterSetName = InputObjectSet)]
[OutputType(typeof(Remediation))]
public sealed class WaitRemediationCommand : RemediationCmdlet
{
    private static int s_activityId = 0x4E4F;

    /// <summary>Seconds to wait for each remediation before reporting a timeout error for it.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Timeout { get; set; } = 3600;

    /// <summary>Seconds between polls.</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int PollInterval { get; set; } = 5;

    protected override NodeOpsClientOptions CreateClientOptions()
    {
        var options = base.CreateClientOptions();
        options.PollInterval = TimeSpan.FromSeconds(PollInterval);
        return options;
    }

    protected override void ProcessRecord()
    {
        if (InputObject is { } remediation && !RemediationChecks.NeedsPolling(remediation))
        {
            WriteVerbose($"{remediation.Provider} remediation of node '{remediation.NodeId}' is already {remediation.State}; nothing to wait for.");
            WriteObject(remediation);
            return;
        }

        if (ResolveTarget(NodeOperation.TrackRemediation) is not var (client, reference, target))
        {
            return;
        }

        var activityId = Interlocked.Increment(ref s_activityId);
        var activity = $"Waiting for {Describe(client, reference)}";
        var timeout = TimeSpan.FromSeconds(Timeout);
        StartWork(
            async (bridge, ct) =>
            {
                var started = DateTimeOffset.UtcNow;
                try
                {
                    var done = await client.WaitForRemediationAsync(
                        reference,
                        timeout,
                        r => bridge.WriteProgress(new ProgressUpdate(
                            activityId,
                            activity,
                            $"{r.State} ({r.ProviderState ?? "?"}), {(DateTimeOffset.UtcNow - started).TotalSeconds:0} s",
                            SecondsRemaining: (int)Math.Max(0, (timeout - (DateTimeOffset.UtcNow - started)).TotalSeconds))),
                        ct).ConfigureAwait(false);
                    bridge.WriteObject(done);
                }
                finally
                {
                    bridge.WriteProgress(new ProgressUpdate(activityId, activity, "Done", Completed: true));
                }
            },
            target);
    }

    protected override void EndProcessing() => WaitForWork();
}
