namespace NodeOps.Module.Tests;

/// <summary>The pipelines users write, checked against the compiled parameter metadata.</summary>
[Collection(ModuleCollection.Name)]
public sealed class PipelineBindingTests(ModuleFixture module)
{
    private const string GpuNode = "NodeOps.Engine.GpuNode";
    private const string TogetherNode = "NodeOps.Engine.Providers.Together.TogetherNode";
    private const string GpuCluster = "NodeOps.Engine.GpuCluster";
    private const string Remediation = "NodeOps.Engine.Remediation";
    private const string Connection = "NodeOps.Engine.ProviderConnection";
    private const string NodeRef = "NodeOps.Engine.NodeRef";
    private const string VoltageParkNode = "NodeOps.Engine.Providers.VoltagePark.VoltageParkNode";
    private const string ExalsiusNode = "NodeOps.Engine.Providers.Exalsius.ExalsiusNode";
    private const string SfComputeNode = "NodeOps.Engine.Providers.SfCompute.SfComputeNode";
    private const string SfComputeRemediation = "NodeOps.Engine.Providers.SfCompute.SfComputeRemediation";
    private const string VoltageParkFleet = "NodeOps.Engine.Providers.VoltagePark.VoltageParkFleet";

    private BindingResult Bind(string piped, string command) =>
        PipelineBinder.Bind(module.Catalog.Get(command), module.EngineType(piped), t => module.Engine.GetType(t, throwOnError: false));

    [Theory]
    [InlineData(GpuNode, "Invoke-NodeRemediation")]
    [InlineData(TogetherNode, "Invoke-NodeRemediation")]
    [InlineData(NodeRef, "Invoke-NodeRemediation")]
    [InlineData(GpuNode, "Reset-GpuNode")]
    [InlineData(GpuNode, "Remove-GpuNode")]
    [InlineData(GpuNode, "Set-GpuNode")]
    [InlineData(GpuNode, "Send-GpuNodeHeartbeat")]
    [InlineData(VoltageParkNode, "Invoke-NodeRemediation")]
    [InlineData(SfComputeNode, "Invoke-NodeRemediation")]
    [InlineData(SfComputeNode, "Reset-GpuNode")]
    [InlineData(SfComputeNode, "Remove-GpuNode")]
    [InlineData(ExalsiusNode, "Remove-GpuNode")]
    [InlineData(ExalsiusNode, "Set-GpuNode")]
    [InlineData(ExalsiusNode, "Send-GpuNodeHeartbeat")]
    public void Nodes_bind_by_property_name_to_the_node_commands(string piped, string command)
    {
        var result = Bind(piped, command);

        Assert.True(result.Succeeded, $"{piped} | {command}: set {result.ParameterSet}, missing {string.Join(", ", result.MissingMandatory)}");
        Assert.Equal("Provider", result.Source("Provider"));
        Assert.Equal("Id", result.Source("Id"));
        Assert.Equal("Endpoint", result.Source("Endpoint"));
    }

    [Fact]
    public void Invoke_NodeRemediation_takes_the_cluster_and_a_Together_nodes_instance_id_not_its_worker_node_id()
    {
        var result = Bind(TogetherNode, "Invoke-NodeRemediation");

        Assert.Equal("ClusterId", result.Source("ClusterId"));
        Assert.Equal("Id", result.Source("Id"));
        Assert.DoesNotContain(module.EngineType(TogetherNode).GetProperties(), p => p.Name == "NodeId");
    }

    [Theory]
    [InlineData(Remediation, "Approve-Remediation")]
    [InlineData(Remediation, "Deny-Remediation")]
    [InlineData(Remediation, "Stop-Remediation")]
    [InlineData(Remediation, "Wait-Remediation")]
    [InlineData(Remediation, "Get-Remediation")]
    [InlineData(SfComputeRemediation, "Wait-Remediation")]
    public void Remediations_bind_whole_so_their_state_and_endpoint_travel_with_them(string piped, string command)
    {
        var result = Bind(piped, command);

        Assert.True(result.Succeeded);
        Assert.Equal("InputObject", result.ParameterSet);
        Assert.Equal("$_", result.Source("InputObject"));
    }

    [Fact]
    public void Nodes_refresh_through_Get_GpuNode()
    {
        var result = Bind(TogetherNode, "Get-GpuNode");

        Assert.Equal("InputObject", result.ParameterSet);
        Assert.True(result.Succeeded);
    }

    [Fact]
    public void A_cluster_lists_its_nodes_and_never_binds_its_own_id_as_a_node_id()
    {
        var result = Bind(GpuCluster, "Get-GpuNode");

        Assert.True(result.Succeeded);
        Assert.Equal("Query", result.ParameterSet);
        Assert.Equal("ClusterId", result.Source("ClusterId"));
        Assert.Equal("Provider", result.Source("Provider"));
        Assert.Null(result.Source("Id"));
    }

    [Fact]
    public void A_Voltage_Park_fleet_lists_its_nodes()
    {
        var result = Bind(VoltageParkFleet, "Get-GpuNode");

        Assert.Equal("Query", result.ParameterSet);
        Assert.Equal("ClusterId", result.Source("ClusterId"));
    }

    [Theory]
    [InlineData(ExalsiusNode, "Set-GpuNode")]
    [InlineData(ExalsiusNode, "Import-GpuNode")]
    [InlineData(SfComputeNode, "Invoke-NodeRemediation")]
    public void Provider_specific_node_properties_never_bind_to_settings(string piped, string command)
    {
        var result = Bind(piped, command);

        // Exalsius nodes have Description, NodeType, SshEndpoint, Username, SshKeyId; SF nodes have NodeType.
        Assert.DoesNotContain(result.Bound.Keys, k => k is "Description" or "SshEndpoint" or "Username" or "SshKeyId" or "NodeType" or "ImageId" or "GpuType" or "GpuCount");
    }

    [Fact]
    public void A_cluster_lists_its_remediations()
    {
        var result = Bind(GpuCluster, "Get-Remediation");

        Assert.True(result.Succeeded);
        Assert.Equal("Cluster", result.ParameterSet);
        Assert.Equal("ClusterId", result.Source("ClusterId"));
        Assert.Null(result.Source("Id"));
    }

    [Fact]
    public void A_node_lists_its_own_remediations_by_value()
    {
        var result = Bind(TogetherNode, "Get-Remediation");

        Assert.True(result.Succeeded);
        Assert.Equal("Node", result.ParameterSet);
        Assert.Null(result.Source("NodeId"));
    }

    [Fact]
    public void A_node_gets_its_cluster_by_ClusterId_not_by_its_own_Id()
    {
        var result = Bind(GpuNode, "Get-GpuCluster");

        Assert.True(result.Succeeded);
        Assert.Equal("ClusterId", result.Source("ClusterId"));
    }

    [Theory]
    [InlineData("Get-GpuNode")]
    [InlineData("Get-GpuCluster")]
    public void A_connection_lists_through_its_provider_and_endpoint(string command)
    {
        var result = Bind(Connection, command);

        Assert.True(result.Succeeded);
        Assert.Equal("Provider", result.Source("Provider"));
        Assert.Equal("Endpoint", result.Source("Endpoint"));
    }

    [Fact]
    public void A_connection_disconnects_by_provider_and_endpoint()
    {
        var result = Bind(Connection, "Disconnect-GpuCloud");

        Assert.True(result.Succeeded);
        Assert.Equal(["Endpoint", "Provider", "Region"], result.Bound.Keys.Order());
    }

    [Fact]
    public void Redeploys_from_Reset_GpuNode_can_be_waited_for()
    {
        var reset = module.Catalog.Get("Reset-GpuNode");
        var emitted = Assert.Single(reset.OutputTypes).TypeName;

        Assert.True(Bind(emitted, "Wait-Remediation").Succeeded);
    }
}
