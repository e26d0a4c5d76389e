using ObjectStorage.Cli.Output;

namespace ObjectStorage.Cli;

/// <summary>Turns an exception that ends a command into one line on stderr and an exit code (and, with <c>--json</c>, an error object on stdout).</summary>
internal static class ErrorReport
{
    public static int Write(Exception error, bool json)
    {
        // The reader of stdout went away (`| head`): it has what it wanted, and nobody is there to read an error.
        if (error is OutputException { IsBrokenPipe: true }) return ExitCodes.BrokenPipe;
        var (code, kind) = Classify(error);
        var message = OneLine(error switch
        {
            OperationCanceledException => "cancelled",
            // ArgumentException appends " (Parameter 'key')", which says nothing to someone at a shell.
            ArgumentException { ParamName: { } name } argument => argument.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal),
            _ => error.Message,
        });
        try
        {
            Console.Error.WriteLine($"objstore: {message}");
            // Stdout itself failed: an error object there would fail the same way.
            if (json && error is not OutputException) Json.Write(new ErrorDocument(new ErrorDetail(kind, code, message)), Json.Context.ErrorDocument);
        }
        catch (IOException)
        {
            // Neither stream takes the report; the exit code still says what happened.
        }
        return code;
    }

    /// <summary>A usage error found by the parser (unknown option, missing argument).</summary>
    public static int WriteUsage(string message, string commandPath)
    {
        Console.Error.WriteLine($"objstore: {OneLine(message)} (see '{commandPath} --help')");
        return ExitCodes.BadInput;
    }

    private static (int Code, string Kind) Classify(Exception error) => error switch
    {
        OperationCanceledException => (ExitCodes.Cancelled, "cancelled"),
        KeyNotFoundException or FileNotFoundException or DirectoryNotFoundException => (ExitCodes.NotFound, "notFound"),
        ArgumentException or NotSupportedException or FormatException or StoreConfigException => (ExitCodes.BadInput, "badInput"),
        _ => (ExitCodes.Failure, "failure"),
    };

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
}
