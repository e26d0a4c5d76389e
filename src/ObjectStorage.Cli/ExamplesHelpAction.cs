using System.CommandLine;
using System.CommandLine.Invocation;

namespace ObjectStorage.Cli;

/// <summary>The standard <c>--help</c>, followed by the command's examples (see <see cref="Commands.StoreCommand.Examples"/>).</summary>
internal sealed class ExamplesHelpAction(SynchronousCommandLineAction standard) : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        if (parseResult.CommandResult.Command is ObjstoreCommand root) root.DescribeStoreUrls();
        int code = standard.Invoke(parseResult);
        var output = parseResult.InvocationConfiguration.Output;
        if (parseResult.CommandResult.Command is Commands.StoreCommand { Examples.Count: > 0 } command)
        {
            output.WriteLine("Examples:");
            foreach (var example in command.Examples) output.WriteLine("  " + example);
            output.WriteLine();
        }
        return code;
    }
}
