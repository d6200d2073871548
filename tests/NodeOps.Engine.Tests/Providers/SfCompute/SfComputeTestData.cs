using System.Globalization;
using System.Text;
using NodeOps.Engine.Providers.SfCompute;
using NodeOps.Engine.Tests.Support;

namespace NodeOps.Engine.Tests.Providers.SfCompute;

/// <summary>SF Compute JSON written from providers-api.md §4 and seed 004, and client helpers.</summary>
internal static class SfComputeTestData
{
    public static SfComputeClient Client(CannedHttpServer server, NodeOpsClientOptions? options = null) =>
        Facade(server, options).ProviderClient<SfComputeClient>();

    public static NodeOpsClient Facade(CannedHttpServer server, NodeOpsClientOptions? options = null) =>
        TestClients.Create(CloudProvider.SFCompute, server.BaseUrl, options);

    public static string Vm(string id, string status, long createdAt = 1700000000, string? imageId = "vmi_base") =>
        string.Create(CultureInfo.InvariantCulture, $$"""
            {"object":"vm","id":"{{id}}","status":"{{status}}","created_at":{{createdAt}},"updated_at":{{createdAt + 60}},"start_at":{{createdAt}},"end_at":{{createdAt + 36000}},"zone":"hayesvalley","image_id":{{(imageId is null ? "null" : $"\"{imageId}\"")}}}
            """);

    /// <summary>
    /// A node. <paramref name="vms"/> are the VM objects of <c>vms.data</c>; the last one is also
    /// <c>current_vm</c> unless <paramref name="current"/> says otherwise.
    /// </summary>
    public static string Node(
        string id = "n_0000000000000001",
        string status = "running",
        string? procurementId = "proc_0000000000000001",
        string name = "node-one",
        string nodeType = "autoreserved",
        string[]? vms = null,
        string? current = null,
        bool withVmsList = true)
    {
        vms ??= [Vm("vm_first", "Running")];
        current ??= vms.Length > 0 ? vms[^1] : "null";
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $$"""{"object":"node","id":"{{id}}","name":"{{name}}","gpu_type":"H100","owner":"acme","status":"{{status}}","node_type":"{{nodeType}}","zone":"hayesvalley",""");
        sb.Append("\"created_at\":1700000000,\"updated_at\":1700000600,\"start_at\":1700000000,\"end_at\":1700036000,\"deleted_at\":null,");
        sb.Append(procurementId is null ? "\"procurement_id\":null," : $"\"procurement_id\":\"{procurementId}\",");
        sb.Append("\"max_price_per_node_hour\":1600,");
        if (withVmsList)
        {
            sb.Append("\"vms\":{\"object\":\"list\",\"data\":[").Append(string.Join(",", vms)).Append("]},");
        }

        sb.Append("\"current_vm\":").Append(current).Append('}');
        return sb.ToString();
    }

    public static string List(params string[] nodes) => "{\"object\":\"list\",\"data\":[" + string.Join(",", nodes) + "]}";

    public static string Error(string type, string message) =>
        "{\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message + "\",\"details\":[]}}";
}
