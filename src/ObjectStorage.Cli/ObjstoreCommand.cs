using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using ObjectStorage.Cli.Commands;

namespace ObjectStorage.Cli;

/// <summary>The root of <c>objstore</c>: its subcommands and the options they share.</summary>
internal sealed class ObjstoreCommand : RootCommand
{
    public ObjstoreCommand()
        : base("objstore: list, read, write, copy, move, sync, check and benchmark object stores by URL." + Environment.NewLine
               + "Store URLs: " + Stores.Forms + "." + Environment.NewLine
               + "Exit codes: 0 ok, 1 failure, 2 bad input (URL, key, option), 3 not found, 130 interrupted, 141 stdout closed by its reader." + Environment.NewLine
               + "Example: objstore sync docs sqlite://objstore-demo.db && objstore ls sqlite://objstore-demo.db --long" + Environment.NewLine
               + "Every command has --help with examples; docs/cli.md has the details.")
    {
        Options.Add(StoreCommand.JsonOption);
        foreach (var option in Options)
            if (option is HelpOption { Action: SynchronousCommandLineAction standard } help) help.Action = new ExamplesHelpAction(standard);
        Subcommands.Add(new LsCommand());
        Subcommands.Add(new CatCommand());
        Subcommands.Add(new GetCommand());
        Subcommands.Add(new PutCommand());
        Subcommands.Add(new RmCommand());
        Subcommands.Add(new StatCommand());
        Subcommands.Add(new CpCommand());
        Subcommands.Add(new MvCommand());
        Subcommands.Add(new SyncCommand());
        Subcommands.Add(new CheckCommand());
        Subcommands.Add(SizeCommand.Total());
        Subcommands.Add(SizeCommand.PerFolder());
        Subcommands.Add(new PresignCommand());
        Subcommands.Add(new BenchCommand());
        Subcommands.Add(new ServeCommand());
    }
}
