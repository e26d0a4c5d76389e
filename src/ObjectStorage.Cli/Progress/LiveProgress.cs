using ObjectStorage.Cli.Transfer;
using Spectre.Console;

namespace ObjectStorage.Cli.Progress;

/// <summary>A live Spectre.Console progress bar on stderr: objects and bytes done, rate, time left.</summary>
internal sealed class LiveProgress(string verb, long totalObjects, long totalBytes) : TransferProgress(verb, totalObjects, totalBytes)
{
    public override async Task<T> RunAsync<T>(Func<IProgress<TransferStep>, Task<T>> work)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var display = console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn(),
                new PercentageColumn(),
                new DownloadedColumn(),
                new TransferSpeedColumn(),
                new RemainingTimeColumn());

        return await display.StartAsync(async context =>
        {
            // The bar runs on bytes; a store of empty objects runs it on objects instead.
            bool byBytes = TotalBytes > 0;
            var task = context.AddTask(Describe(), maxValue: Math.Max(1, byBytes ? TotalBytes : TotalObjects));
            using var timer = new Timer(_ =>
            {
                task.Value = byBytes ? Bytes : Objects;
                task.Description = Describe();
            }, null, TimeSpan.Zero, TimeSpan.FromMilliseconds(100));
            try
            {
                return await work(this);
            }
            finally
            {
                await timer.DisposeAsync();
                task.Value = task.MaxValue;
                task.Description = Describe();
                task.StopTask();
            }
        });
    }

    private string Describe() => Markup.Escape($"{Verb} {Counts().Split(',')[0]}" + (Deleted > 0 ? $", {Deleted} deleted" : "") + (Failed > 0 ? $", {Failed} failed" : ""));
}
