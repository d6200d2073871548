using System.Management.Automation;
using NodeOps.Engine;

namespace NodeOps.Commands;

/// <summary>
/// Set-GpuNode: updates a node's recorded hardware, software and system facts (Exalsius PATCH). The API takes
/// all three groups at once; groups not given are sent empty. The fresh node-agent token Exalsius returns is
/// neither kept nor shown.
/// </summary>
[Cmdlet(VerbsCommon.Set, "GpuNode", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(NodeUpdateResult))]
public sealed class SetGpuNodeCommand : NodeCmdlet
{
    private object? _provider;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public CloudProvider Provider { get => _provider is CloudProvider p ? p : CloudProvider.Exalsius; set => _provider = value; }

    [Parameter]
    public string? Description { get; set; }

    [Parameter]
    [ValidateRange(0, 1024)]
    public int? GpuCount { get; set; }

    [Parameter]
    public string? GpuVendor { get; set; }

    [Parameter]
    public string? GpuType { get; set; }

    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? GpuMemoryGb { get; set; }

    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? CpuCores { get; set; }

    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? MemoryGb { get; set; }

    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? StorageGb { get; set; }

    [Parameter]
    public string? DockerVersion { get; set; }

    [Parameter]
    public string? NvidiaDriverVersion { get; set; }

    [Parameter]
    public string? AmdDriverVersion { get; set; }

    [Parameter]
    public string? OperatingSystem { get; set; }

    [Parameter]
    public string? KernelVersion { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var node = new NodeRef(Provider, Id!, null, Endpoint);
        if (ClientFor(node, NodeOperation.Update) is not { } client)
        {
            return;
        }

        if (!ShouldAct(node.Describe(), "Set hardware, software and system facts", Force))
        {
            return;
        }

        var update = new NodeUpdate
        {
            NodeId = node.Id,
            Description = Description,
            Hardware = new NodeHardware
            {
                GpuCount = GpuCount,
                GpuVendor = GpuVendor,
                GpuType = GpuType,
                GpuMemoryGb = GpuMemoryGb,
                CpuCores = CpuCores,
                MemoryGb = MemoryGb,
                StorageGb = StorageGb,
            },
            Software = new NodeSoftware { Docker = DockerVersion, Nvidia = NvidiaDriverVersion, Amd = AmdDriverVersion },
            System = new NodeSystem { Os = OperatingSystem, Kernel = KernelVersion },
        };
        var passThru = PassThru.IsPresent;
        StartWork(
            async (bridge, ct) =>
            {
                var result = await client.UpdateNodeAsync(update, ct).ConfigureAwait(false);
                if (passThru)
                {
                    bridge.WriteObject(result);
                }
            },
            node);
    }
}
