namespace NodeOps.Engine.Tests.Support;

/// <summary>The seed documents' JSON examples, copied into Seeds/ (see Seeds/README.md).</summary>
public static class SeedFiles
{
    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Seeds", name));

    public static string Text(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Seeds", name));
}
