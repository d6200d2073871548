using System.Diagnostics;

namespace NodeOps.Emulator.Tests.Support;

/// <summary>Bounded polling: every wait in these tests ends, with a clear failure when the condition never holds.</summary>
internal static class Wait
{
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, int timeoutMs = 5000)
    {
        var watch = Stopwatch.StartNew();
        while (watch.ElapsedMilliseconds < timeoutMs)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"Timed out after {timeoutMs} ms waiting for: {what}");
    }
}
