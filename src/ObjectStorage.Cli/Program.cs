using System.CommandLine;
using System.CommandLine.Invocation;
using ObjectStorage.Cli;
using ObjectStorage.Cli.Output;

// objstore: parse, run one command, and turn whatever ends it into one stderr line and an exit code.
StandardOutput.Install();
var root = new ObjstoreCommand();
var parse = root.Parse(args);
bool json = parse.GetValue(ObjectStorage.Cli.Commands.StoreCommand.JsonOption);

if (parse.Action is ParseErrorAction)
{
    var command = parse.CommandResult.Command == root ? "objstore" : $"objstore {parse.CommandResult.Command.Name}";
    return ErrorReport.WriteUsage(string.Join("; ", parse.Errors.Select(static e => e.Message.TrimEnd('.'))), command);
}

// Signals are ours, not System.CommandLine's: its handler crashes the process on a second Ctrl+C.
using var interruption = new Interruption();
try
{
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }, interruption.Token);
}
catch (Exception error)
{
    return ErrorReport.Write(interruption.Token.IsCancellationRequested && error is not OutputException ? new OperationCanceledException("cancelled", error) : error, json);
}
