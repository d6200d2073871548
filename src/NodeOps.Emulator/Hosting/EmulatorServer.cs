using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodeOps.Emulator.Admin;
using NodeOps.Emulator.Hosting;

namespace NodeOps.Emulator;

/// <summary>A running emulator: Kestrel on 127.0.0.1 serving the four provider APIs and the admin API.</summary>
public sealed class EmulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _stopped;

    private EmulatorServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>The bound base address with a trailing slash, e.g. <c>http://127.0.0.1:54321/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Provider wire names, which are also the URL prefixes.</summary>
    public static IReadOnlyList<string> ProviderNames { get; } = Providers.All.Select(p => p.Name()).ToArray();

    /// <summary>A provider's base URL without trailing slash, e.g. <c>http://127.0.0.1:54321/together</c>; clients append <c>/v1/...</c>.</summary>
    public Uri ProviderBaseUrl(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return new Uri(BaseAddress, prefix.Trim('/'));
    }

    public static async Task<EmulatorServer> StartAsync(EmulatorOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var url = LoopbackUrl(options.Urls);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(EmulatorServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        // The emulator runs inside test processes too: Ctrl+C handling belongs to Program, not to the host.
        builder.Services.AddSingleton<IHostLifetime, PassiveHostLifetime>();

        var state = new EmulatorState(options, TimeProvider.System);
        builder.Services.AddSingleton(state);
        builder.Services.AddSingleton<ProviderPipeline>();

        var app = builder.Build();
        state.Stopping = app.Lifetime.ApplicationStopping;
        var pipeline = app.Services.GetRequiredService<ProviderPipeline>();

        app.Use(RawPathRewriter.InvokeAsync);
        app.UseRouting();
        app.Use(pipeline.InvokeAsync);
        AdminEndpoints.Map(app, state);
        foreach (var api in state.Apis)
        {
            api.MapRoutes(app.MapGroup(api.Provider.Prefix()));
        }

        try
        {
            await app.StartAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var bound = addresses?.FirstOrDefault() ?? url;
        var baseAddress = new Uri(bound.TrimEnd('/') + "/");
        var server = new EmulatorServer(app, baseAddress);

        if (!string.IsNullOrEmpty(options.PortFile))
        {
            var temp = options.PortFile + ".tmp";
            await File.WriteAllTextAsync(temp, baseAddress.ToString(), ct).ConfigureAwait(false);
            File.Move(temp, options.PortFile, overwrite: true);
        }

        return server;
    }

    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            await _app.StopAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Only loopback: the emulator must never be reachable from the network.</summary>
    private static string LoopbackUrl(string urls)
    {
        if (string.IsNullOrWhiteSpace(urls))
        {
            urls = "http://127.0.0.1:5080";
        }

        var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
        if (!Uri.TryCreate(first, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
        {
            throw new ArgumentException($"Urls must be an http:// address on 127.0.0.1, got '{urls}'.", nameof(urls));
        }

        if (uri.Host is not ("127.0.0.1" or "localhost"))
        {
            throw new ArgumentException($"The emulator binds to 127.0.0.1 only, got host '{uri.Host}'.", nameof(urls));
        }

        return $"http://127.0.0.1:{uri.Port}";
    }

    private sealed class PassiveHostLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
