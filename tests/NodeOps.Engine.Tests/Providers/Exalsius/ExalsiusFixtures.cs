using System.Text;
using NodeOps.Engine.Providers.Exalsius;
using NodeOps.Engine.Tests.Support;

namespace NodeOps.Engine.Tests.Providers.Exalsius;

/// <summary>
/// Replies written from providers-api.md §2 and seed 001 (not from any emulator): a CloudNode and a
/// SelfManagedNode with every documented field, and the problem+json error shape wrapped in <c>detail</c>.
/// </summary>
internal static class ExalsiusFixtures
{
    public const string CloudId = "6f1c2d3e-0000-4000-8000-000000000001";
    public const string SelfManagedId = "6f1c2d3e-0000-4000-8000-000000000002";
    public const string AccessToken = "eyJhbGciOiJSUzI1NiJ9.node-agent-secret-7c41";

    public const string CloudNode = """
        {"id":"6f1c2d3e-0000-4000-8000-000000000001","node_type":"CLOUD","node_status":"AVAILABLE","price_per_hour":2.49,
         "namespace":"team-a","hostname":"gpu-cloud-1","description":"H100 from an offer","location":"Frankfurt",
         "import_time":"2026-02-01T09:15:00+01:00",
         "hardware":{"gpu_count":8,"gpu_vendor":"NVIDIA","gpu_type":"H100","gpu_memory":80,"cpu_cores":96,"memory_gb":1024,"storage_gb":2000},
         "software":{"docker":"27.0.3","nvidia":"550.54.15"},
         "system":{"os":"Ubuntu 22.04","kernel":"5.15.0-105-generic"},
         "provider":"aws","region":"eu-central-1","instance_type":"p5.48xlarge","availability_zone":"eu-central-1a"}
        """;

    public const string SelfManagedNode = """
        {"id":"6f1c2d3e-0000-4000-8000-000000000002","node_type":"SELF_MANAGED","node_status":"WARNING","price_per_hour":0.0,
         "hostname":"my-server-001","description":"On-premises GPU server","location":"Berlin lab",
         "import_time":"2026-01-20T10:00:00Z","warning_message":"pre-installed NVIDIA driver blocks deployment",
         "hardware":{"gpu_count":4,"gpu_vendor":"AMD","gpu_type":"MI300X","gpu_memory":192},
         "software":{"docker":"26.1.0","amd":"6.1.2"},
         "system":{"os":"Rocky Linux 9","kernel":"5.14.0-427"},
         "endpoint":"192.168.1.100:22","username":"ubuntu","ssh_key_id":"123e4567-e89b-12d3-a456-426614174000",
         "last_heartbeat_date":"2026-02-03T07:59:30.250Z"}
        """;

    public static string NodesList(params string[] nodes) =>
        $$"""{"nodes":[{{string.Join(",", nodes)}}],"total":{{nodes.Length}}}""";

    public static string Node(string id, string status, string type = "SELF_MANAGED") =>
        $$"""{"id":"{{id}}","node_type":"{{type}}","node_status":"{{status}}","price_per_hour":1.5,"hostname":"host-{{id}}","endpoint":"10.0.0.1:22","username":"root","ssh_key_id":"123e4567-e89b-12d3-a456-426614174000"}""";

    /// <summary>The documented error body: RFC 7807 wrapped in <c>detail</c>, content type application/problem+json.</summary>
    public static CannedResponse Problem(int status, string type, string title, string detail, string instance) => new()
    {
        Status = status,
        ContentType = "application/problem+json",
        Body = Encoding.UTF8.GetBytes(
            $$$"""{"detail":{"type":"https://api.exalsius.ai/errors/{{{type}}}","title":"{{{title}}}","status":{{{status}}},"detail":"{{{detail}}}","instance":"{{{instance}}}"}}"""),
    };

    public static ExalsiusClient Client(CannedHttpServer server, NodeOpsClientOptions? options = null) =>
        TestClients.Create(CloudProvider.Exalsius, server.BaseUrl, options).ProviderClient<ExalsiusClient>();

    public static NodeOpsClient Facade(CannedHttpServer server, NodeOpsClientOptions? options = null) =>
        TestClients.Create(CloudProvider.Exalsius, server.BaseUrl, options);

    public static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source)
        {
            list.Add(item);
        }

        return list;
    }
}
