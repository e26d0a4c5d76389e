using System.CommandLine;
using System.CommandLine.Invocation;
using ObjectStorage.Cli;

// objstore: parse, run one command, and turn whatever ends it into one stderr line and an exit code.
var root = new ObjstoreCommand();
var parse = root.Parse(args);
bool json = parse.GetValue(ObjectStorage.Cli.Commands.StoreCommand.JsonOption);

if (parse.Action is ParseErrorAction)
{
    var command = parse.CommandResult.Command == root ? "objstore" : $"objstore {parse.CommandResult.Command.Name}";
    return ErrorReport.WriteUsage(string.Join("; ", parse.Errors.Select(static e => e.Message.TrimEnd('.'))), command);
}

try
{
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception error)
{
    return ErrorReport.Write(error, json);
}
