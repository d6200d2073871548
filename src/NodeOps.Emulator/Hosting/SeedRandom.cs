using System.Globalization;

namespace NodeOps.Emulator.Hosting;

/// <summary>Deterministic ids and picks for the seeders (System.Random with a fixed seed is stable per runtime).</summary>
internal sealed class SeedRandom(int seed)
{
    private const string Alphanumeric = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private readonly Random _random = new(seed);

    public int Next(int maxExclusive) => _random.Next(maxExclusive);

    public int Next(int minInclusive, int maxExclusive) => _random.Next(minInclusive, maxExclusive);

    public double NextDouble() => _random.NextDouble();

    public bool Chance(double probability) => _random.NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    /// <summary>A version-4 shaped UUID string.</summary>
    public string Uuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes).ToString("D");
    }

    public string Hex(int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = "0123456789abcdef"[_random.Next(16)];
        }

        return new string(chars);
    }

    public string Alnum(int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = Alphanumeric[_random.Next(Alphanumeric.Length)];
        }

        return new string(chars);
    }

    /// <summary>Derives a seed for one provider so each provider's data is independent of the others' sizes.</summary>
    public static int For(int seed, string salt)
    {
        unchecked
        {
            var hash = seed * 16777619;
            foreach (var c in salt)
            {
                hash = (hash ^ c) * 16777619;
            }

            return hash;
        }
    }

    public static string Ip(int a, int index) => string.Create(CultureInfo.InvariantCulture, $"{a}.{((index / 62500) % 250) + 1}.{(index / 250) % 250}.{(index % 250) + 2}");
}
