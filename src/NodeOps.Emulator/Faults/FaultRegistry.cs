using NodeOps.Emulator.Hosting;

namespace NodeOps.Emulator.Faults;

/// <summary>Fault state for all providers.</summary>
internal sealed class FaultRegistry
{
    private readonly Dictionary<Provider, ProviderFaults> _byProvider;

    public FaultRegistry(int seed)
    {
        _byProvider = Providers.All.ToDictionary(p => p, p => new ProviderFaults(unchecked(seed * 31 + (int)p + 1)));
    }

    public ProviderFaults this[Provider provider] => _byProvider[provider];

    public void ClearAll()
    {
        foreach (var faults in _byProvider.Values)
        {
            faults.Clear();
        }
    }
}
