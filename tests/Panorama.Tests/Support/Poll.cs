namespace Panorama.Tests.Support;

/// <summary>Waits, in real time, for what a background loop (the batch writer, a shard's return) brings about.</summary>
static class Poll
{
    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout) => UntilAsync(() => Task.FromResult(condition()), timeout);

    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The condition did not come true in {timeout.TotalSeconds:F0} s.");
            await Task.Delay(50);
        }
    }
}
