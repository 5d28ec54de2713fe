namespace ClvPortal.Tests.Infrastructure;

/// <summary>Waits for something that happens in the background (a Hangfire job) without fixed sleeps.</summary>
public static class Poll
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string whatWeWaitFor)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for {whatWeWaitFor}.");
            }
            await Task.Delay(100);
        }
    }
}
