using Spectre.Console;

namespace ObjectStorage.Cli.Progress;

/// <summary>A live Spectre.Console progress bar on stderr: objects settled of the total, bytes copied and rate, time left.</summary>
internal sealed class LiveProgress(string verb, long totalObjects, long totalBytes) : TransferProgress(verb, totalObjects, totalBytes)
{
    protected override async Task<T> ShowAsync<T>(Func<Task<T>> work)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var display = console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(
                new SpinnerColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new RemainingTimeColumn(),
                new TaskDescriptionColumn { Alignment = Justify.Left });

        return await display.StartAsync(async context =>
        {
            var task = context.AddTask(Describe(), maxValue: Math.Max(1, TotalObjects));
            await using var timer = new Timer(_ =>
            {
                task.Value = Objects;
                task.Description = Describe();
            }, null, TimeSpan.Zero, TimeSpan.FromMilliseconds(100));
            try
            {
                return await work();
            }
            finally
            {
                await timer.DisposeAsync();
                task.Value = Math.Max(1, TotalObjects);
                task.Description = Describe();
                task.StopTask();
            }
        });
    }

    private string Describe() => Markup.Escape($"{Verb} {Counts()}");
}
