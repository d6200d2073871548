using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;

namespace NodeOps.Module.Tests;

/// <summary>
/// The private load context, exercised for real: a "host" context stands in for PowerShell's default context
/// (which loads NodeOps.dll), with another module's older Polly.Core already loaded into it. The engine,
/// resolved through the host as NodeOps.dll's reference would be, must come from the module's private context
/// with its own Polly.Core 8.9.1, and work.
/// </summary>
[Collection(ModuleCollection.Name)]
public sealed class IsolationTests(ModuleFixture module)
{
    private static string OtherPollyPath => Path.Combine(ModuleFixture.Metadata("OtherPollyPackage"), "lib", "net8.0", "Polly.Core.dll");

    /// <summary>Stands in for the default context: loads what it is given, resolves nothing itself.</summary>
    private sealed class HostContext() : AssemblyLoadContext("PowerShell host (test)", isCollectible: false)
    {
        protected override Assembly? Load(AssemblyName assemblyName) => null;
    }

    private static string FileVersion(Assembly assembly) => FileVersionInfo.GetVersionInfo(assembly.Location).FileVersion!;

    private (HostContext Host, Assembly OtherPolly, Type Loader) StartHost()
    {
        var host = new HostContext();
        var otherPolly = host.LoadFromAssemblyPath(OtherPollyPath);
        var nodeOps = host.LoadFromAssemblyPath(module.ModuleAssemblyPath);
        var loader = nodeOps.GetType("NodeOps.Loading.EngineLoader", throwOnError: true)!;
        return (host, otherPolly, loader);
    }

    [Fact]
    public void The_test_process_itself_cannot_find_the_engine_so_only_the_loader_can()
    {
        Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, "NodeOps.Engine.dll")));
        Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, "Polly.Core.dll")));
        Assert.StartsWith("8.8.1", FileVersion(new HostContext().LoadFromAssemblyPath(OtherPollyPath)), StringComparison.Ordinal);

        var (host, _, _) = StartHost();
        Assert.Throws<FileNotFoundException>(() => host.LoadFromAssemblyName(new AssemblyName("NodeOps.Engine")));
    }

    [Fact]
    public void The_engine_resolves_into_the_private_context_with_its_own_Polly_beside_another_modules_Polly()
    {
        var (host, otherPolly, loader) = StartHost();
        loader.GetMethod("Register")!.Invoke(null, [host, module.DependenciesDir]);

        // What happens when code in NodeOps.dll first touches an engine type.
        var engine = host.LoadFromAssemblyName(new AssemblyName("NodeOps.Engine"));
        var engineContext = AssemblyLoadContext.GetLoadContext(engine)!;
        var enginePolly = engineContext.LoadFromAssemblyName(engine.GetReferencedAssemblies().Single(r => r.Name == "Polly.Core"));

        Assert.NotSame(host, engineContext);
        Assert.Equal("NodeOps.Engine", engineContext.Name);
        Assert.Equal(Path.Combine(module.DependenciesDir, "NodeOps.Engine.dll"), engine.Location);
        Assert.Same(engine, loader.GetMethod("LoadEngine")!.Invoke(null, null));
        Assert.NotSame(otherPolly, enginePolly);
        Assert.Same(engineContext, AssemblyLoadContext.GetLoadContext(enginePolly));
        Assert.StartsWith("8.9.1", FileVersion(enginePolly), StringComparison.Ordinal);
        Assert.StartsWith("8.8.1", FileVersion(otherPolly), StringComparison.Ordinal);
        Assert.DoesNotContain(host.Assemblies, a => a.GetName().Name == "NodeOps.Engine");

        // Registering again (PowerShell may import twice) keeps the one engine.
        loader.GetMethod("Register")!.Invoke(null, [host, module.DependenciesDir]);
        Assert.Same(engine, host.LoadFromAssemblyName(new AssemblyName("NodeOps.Engine")));
    }

    [Fact]
    public async Task The_privately_loaded_engine_works_retrying_through_its_own_Polly()
    {
        var (host, otherPolly, loader) = StartHost();
        loader.GetMethod("Register")!.Invoke(null, [host, module.DependenciesDir]);
        var engine = host.LoadFromAssemblyName(new AssemblyName("NodeOps.Engine"));

        await using var server = new TwoAnswerServer(
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: 29\r\n\r\n{\"code\":14,\"message\":\"busy\"}",
            Ok("""{"cluster_id":"c1","cluster_name":"one","status":"Ready","region":"us-west","gpu_type":"H100_SXM","gpu_worker_nodes":[]}"""));

        var cluster = await GetClusterThroughReflection(engine, server.BaseUrl, "c1");

        Assert.Equal("c1", cluster.GetType().GetProperty("Id")!.GetValue(cluster));
        Assert.Equal("Ready", cluster.GetType().GetProperty("Status")!.GetValue(cluster)!.ToString());
        Assert.Equal(2, server.Requests);
        Assert.Contains(AssemblyLoadContext.GetLoadContext(engine)!.Assemblies, a => a.GetName().Name == "Polly.Core");
        Assert.Contains(otherPolly, host.Assemblies);
    }

    [Fact]
    public void Unregister_stops_answering_and_leaves_other_names_alone()
    {
        var (host, otherPolly, loader) = StartHost();
        loader.GetMethod("Register")!.Invoke(null, [host, module.DependenciesDir]);

        // Only the engine's name is answered: the host's own Polly stays the host's.
        Assert.Same(otherPolly, host.LoadFromAssemblyName(new AssemblyName("Polly.Core")));

        loader.GetMethod("Unregister")!.Invoke(null, null);
        Assert.Throws<FileNotFoundException>(() => host.LoadFromAssemblyName(new AssemblyName("NodeOps.Engine")));
    }

    private static async Task<object> GetClusterThroughReflection(Assembly engine, Uri endpoint, string clusterId)
    {
        Type T(string name) => engine.GetType("NodeOps.Engine." + name, throwOnError: true)!;
        var together = Enum.Parse(T("CloudProvider"), "Together");
        var credential = T("ApiCredential").GetMethod("FromToken")!.Invoke(null, ["isolation-test-token", "test"]);
        var connection = T("ProviderConnection").GetMethod("Create")!.Invoke(null, [together, credential, endpoint, null]);
        var options = Activator.CreateInstance(T("NodeOpsClientOptions"))!;
        options.GetType().GetProperty("RetryBaseDelay")!.SetValue(options, TimeSpan.FromMilliseconds(10));
        options.GetType().GetProperty("UserAgentSuffix")!.SetValue(options, "PowerShell/test");
        var client = Activator.CreateInstance(T("NodeOpsClient"), connection, options)!;
        var task = (Task)client.GetType().GetMethod("GetClusterAsync")!.Invoke(client, [clusterId, CancellationToken.None])!;
        await task.WaitAsync(TimeSpan.FromSeconds(30));
        return task.GetType().GetProperty("Result")!.GetValue(task)!;
    }

    private static string Ok(string json) =>
        $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(json)}\r\n\r\n{json}";

    /// <summary>Answers the first request with one canned reply and every later one with another.</summary>
    private sealed class TwoAnswerServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private int _requests;

        public TwoAnswerServer(string first, string rest)
        {
            _listener.Start();
            BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/together");
            _loop = Task.Run(async () =>
            {
                try
                {
                    while (!_stop.IsCancellationRequested)
                    {
                        using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                        var stream = client.GetStream();
                        var buffer = new byte[8192];
                        var head = new StringBuilder();
                        while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                        {
                            var n = await stream.ReadAsync(buffer, _stop.Token);
                            if (n == 0)
                            {
                                break;
                            }

                            head.Append(Encoding.ASCII.GetString(buffer, 0, n));
                        }

                        var reply = Interlocked.Increment(ref _requests) == 1 ? first : rest;
                        await stream.WriteAsync(Encoding.UTF8.GetBytes(reply.Replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n", StringComparison.Ordinal)), _stop.Token);
                    }
                }
                catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException)
                {
                }
            });
        }

        public Uri BaseUrl { get; }

        public int Requests => Volatile.Read(ref _requests);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _loop.ContinueWith(_ => { }, TaskScheduler.Default);
            _stop.Dispose();
        }
    }
}
