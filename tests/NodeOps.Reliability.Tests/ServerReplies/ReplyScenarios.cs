using System.Web;
using NodeOps.Engine;
using NodeOps.Engine.Providers.Exalsius;
using NodeOps.Engine.Providers.SfCompute;
using NodeOps.Engine.Providers.Together;
using NodeOps.Engine.Providers.VoltagePark;
using NodeOps.Engine.Tests.Support;

namespace NodeOps.Reliability.Tests.ServerReplies;

/// <summary>Whether a call may reach the provider again after a reply that could not be used.</summary>
public enum Resend
{
    /// <summary>A read, or a state transition that cannot happen twice: retried.</summary>
    Repeatable,

    /// <summary>A mutation carrying an idempotency key or id: retried, always with the same one.</summary>
    WithSameKey,

    /// <summary>A mutation the provider cannot deduplicate: never sent twice.</summary>
    Never,
}

/// <summary>One provider call the reply tests send, with what it needs a reply to be.</summary>
public sealed record ReplyScenario(
    string Name,
    CloudProvider Provider,
    Resend Resend,
    string Target,
    Func<NodeOpsClient, Task> Call,
    Func<CannedRequest, string?>? KeyOf = null)
{
    public override string ToString() => Name;
}

/// <summary>Reads and mutations of all four providers, GETs and POST/PUT/PATCH alike.</summary>
public static class ReplyScenarios
{
    private static readonly ImportViaSshRequest SshImport = new()
    {
        Hostname = "my-server-001",
        Endpoint = "192.168.1.100:22",
        Username = "ubuntu",
        SshKeyId = "123e4567-e89b-12d3-a456-426614174000",
    };

    public static IReadOnlyDictionary<string, ReplyScenario> All { get; } = new ReplyScenario[]
    {
        new("VoltagePark get node", CloudProvider.VoltagePark, Resend.Repeatable, "g0100",
            c => c.ProviderClient<VoltageParkClient>().GetNodeAsync("f1", "g0100")),
        new("VoltagePark remediate", CloudProvider.VoltagePark, Resend.WithSameKey, "f1",
            c => c.ProviderClient<VoltageParkClient>().RemediateNodesAsync("f1", ["g0100"], "Xid 79", "XID_79", "op-key-1"),
            r => r.Header("Idempotency-Key")),
        new("Exalsius describe node", CloudProvider.Exalsius, Resend.Repeatable, "n1",
            c => c.ProviderClient<ExalsiusClient>().DescribeNodeAsync("n1")),
        new("Exalsius import from offer", CloudProvider.Exalsius, Resend.Never, "o1",
            c => c.ProviderClient<ExalsiusClient>().ImportFromOfferAsync("o1", "gpu-box", 2)),
        new("Exalsius import via SSH", CloudProvider.Exalsius, Resend.Never, "my-server-001",
            c => c.ProviderClient<ExalsiusClient>().ImportViaSshAsync(SshImport)),
        new("Together get cluster", CloudProvider.Together, Resend.Repeatable, "c1",
            c => c.ProviderClient<TogetherClient>().GetClusterAsync("c1")),
        new("Together create remediation", CloudProvider.Together, Resend.WithSameKey, "i-1",
            c => c.ProviderClient<TogetherClient>().CreateRemediationAsync("c1", "i-1", "RebootVm", "Xid 79", "rem-key-1"),
            r => HttpUtility.ParseQueryString(new Uri("http://x" + r.Target).Query)["remediation_id"]),
        new("Together approve remediation", CloudProvider.Together, Resend.Repeatable, "r1",
            c => c.ProviderClient<TogetherClient>().ApproveRemediationAsync("c1", "i-1", "r1", "ok", null)),
        new("SFCompute get node", CloudProvider.SFCompute, Resend.Repeatable, "n1",
            c => c.ProviderClient<SfComputeClient>().GetNodeAsync("n1")),
        new("SFCompute redeploy", CloudProvider.SFCompute, Resend.Never, "n1",
            c => c.ProviderClient<SfComputeClient>().RedeployAsync("n1", "vmi_1")),
        new("SFCompute release", CloudProvider.SFCompute, Resend.Never, "n1",
            c => c.ProviderClient<SfComputeClient>().ReleaseAsync("n1")),
    }.ToDictionary(s => s.Name, StringComparer.Ordinal);

    /// <summary>The status a successful reply to <paramref name="scenario"/> carries (Exalsius imports answer 201).</summary>
    public static int SuccessStatus(ReplyScenario scenario) => scenario.Name.StartsWith("Exalsius import", StringComparison.Ordinal) ? 201 : 200;
}
