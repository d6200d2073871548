using NodeOps.Emulator.Admin;
using NodeOps.Emulator.Exalsius;
using NodeOps.Emulator.Faults;
using NodeOps.Emulator.SfCompute;
using NodeOps.Emulator.Together;
using NodeOps.Emulator.VoltagePark;

namespace NodeOps.Emulator.Hosting;

/// <summary>Everything one emulator instance holds: settings, the four providers, logs, counts and faults.</summary>
internal sealed class EmulatorState
{
    private readonly object _resetGate = new();
    private SeedSpec _seed;

    public EmulatorState(EmulatorOptions options, TimeProvider time)
    {
        Options = options;
        Time = time;
        Settings = new EmulatorSettings
        {
            TogetherStepMs = options.TogetherStepMs,
            SfVmBootMs = options.SfVmBootMs,
            ExalsiusDiscoveryMs = options.ExalsiusDiscoveryMs,
            VpRemediateProcessingMs = options.VpRemediateProcessingMs,
            VpRemediationStepMs = options.VpRemediationStepMs,
            LatencyMs = options.LatencyMs,
        };
        Faults = new FaultRegistry(options.Seed);
        VoltagePark = new VoltageParkApi(this);
        Exalsius = new ExalsiusApi(this);
        Together = new TogetherApi(this);
        SfCompute = new SfComputeApi(this);
        Apis = [VoltagePark, Exalsius, Together, SfCompute];
        _seed = new SeedSpec(options.Seed, options.NodesPerProvider, options.NodesPerCluster, options.TogetherRemediationsPerCluster, time.GetUtcNow());
        foreach (var api in Apis)
        {
            api.Reseed(_seed);
        }

        ApplyStartupFaults(options);
    }

    public EmulatorOptions Options { get; }

    public TimeProvider Time { get; }

    public DateTimeOffset Now => Time.GetUtcNow();

    public EmulatorSettings Settings { get; }

    public RequestLog Log { get; } = new();

    public Counters Counters { get; } = new();

    public FaultRegistry Faults { get; }

    /// <summary>Cancelled when the server stops; bounds every simulated wait that is not tied to one client.</summary>
    public CancellationToken Stopping { get; set; }

    public VoltageParkApi VoltagePark { get; }

    public ExalsiusApi Exalsius { get; }

    public TogetherApi Together { get; }

    public SfComputeApi SfCompute { get; }

    public IReadOnlyList<IProviderApi> Apis { get; }

    public SeedSpec CurrentSeed
    {
        get
        {
            lock (_resetGate)
            {
                return _seed;
            }
        }
    }

    public IProviderApi Api(Provider provider) => Apis[(int)provider];

    /// <summary>Reseeds every provider (optionally with new sizes) and clears logs, counts and faults. Settings stay.</summary>
    public void Reset(ResetRequest? request)
    {
        lock (_resetGate)
        {
            _seed = new SeedSpec(
                request?.Seed ?? _seed.Seed,
                request?.NodesPerProvider ?? _seed.NodesPerProvider,
                request?.NodesPerCluster ?? _seed.NodesPerCluster,
                request?.TogetherRemediationsPerCluster ?? _seed.TogetherRemediationsPerCluster,
                Now);
            foreach (var api in Apis)
            {
                api.Reseed(_seed);
            }

            Log.Clear();
            Counters.Clear();
            Faults.ClearAll();
        }
    }

    public void UpdateSettings(EmulatorSettingsUpdate update)
    {
        lock (Settings)
        {
            Settings.TogetherStepMs = update.TogetherStepMs ?? Settings.TogetherStepMs;
            Settings.SfVmBootMs = update.SfVmBootMs ?? Settings.SfVmBootMs;
            Settings.ExalsiusDiscoveryMs = update.ExalsiusDiscoveryMs ?? Settings.ExalsiusDiscoveryMs;
            Settings.VpRemediateProcessingMs = update.VpRemediateProcessingMs ?? Settings.VpRemediateProcessingMs;
            Settings.VpRemediationStepMs = update.VpRemediationStepMs ?? Settings.VpRemediationStepMs;
            Settings.LatencyMs = update.LatencyMs ?? Settings.LatencyMs;
        }
    }

    public EmulatorSettings SettingsSnapshot()
    {
        lock (Settings)
        {
            return new EmulatorSettings
            {
                TogetherStepMs = Settings.TogetherStepMs,
                SfVmBootMs = Settings.SfVmBootMs,
                ExalsiusDiscoveryMs = Settings.ExalsiusDiscoveryMs,
                VpRemediateProcessingMs = Settings.VpRemediateProcessingMs,
                VpRemediationStepMs = Settings.VpRemediationStepMs,
                LatencyMs = Settings.LatencyMs,
            };
        }
    }

    /// <summary>Resolves a provider name or <c>*</c> to the providers it designates.</summary>
    public static bool TryResolveProviders(string name, out IReadOnlyList<Provider> providers)
    {
        if (name == "*" || string.Equals(name, "all", StringComparison.OrdinalIgnoreCase))
        {
            providers = Providers.All;
            return true;
        }

        if (Providers.TryParse(name, out var one))
        {
            providers = [one];
            return true;
        }

        providers = [];
        return false;
    }

    private void ApplyStartupFaults(EmulatorOptions options)
    {
        foreach (var (name, settings) in options.Faults)
        {
            var error = settings.Validate();
            if (!TryResolveProviders(name, out var providers) || error is not null)
            {
                throw new ArgumentException($"Invalid fault settings for '{name}': {error ?? "unknown provider"}");
            }

            foreach (var provider in providers)
            {
                Faults[provider].SetRandom(settings);
            }
        }

        foreach (var (name, script) in options.FaultScripts)
        {
            if (!TryResolveProviders(name, out var providers))
            {
                throw new ArgumentException($"Invalid fault script: unknown provider '{name}'.");
            }

            foreach (var provider in providers)
            {
                Faults[provider].Append(script);
            }
        }
    }
}
