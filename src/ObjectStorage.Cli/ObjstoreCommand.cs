using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using ObjectStorage.Cli.Commands;

namespace ObjectStorage.Cli;

/// <summary>The root of <c>objstore</c>: its subcommands and the options they share.</summary>
internal sealed class ObjstoreCommand : RootCommand
{
    private const string Summary = "objstore: list, read, write, copy, move, sync, check and benchmark object stores by URL.";

    public ObjstoreCommand()
        : base(Summary + Environment.NewLine
               + "Exit codes: 0 ok, 1 failure, 2 bad input (URL, key, option), 3 not found, 130 interrupted, 141 stdout closed by its reader." + Environment.NewLine
               + "Example: objstore sync docs sqlite://objstore-demo.db && objstore ls sqlite://objstore-demo.db --long" + Environment.NewLine
               + "Every command has --help with examples; docs/cli.md has the details.")
    {
        Options.Add(StoreCommand.JsonOption);
        Options.Add(StoreCommand.ConfigOption);
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

    /// <summary>
    /// Adds the accepted store URL forms to the description, for the help text only: listing them
    /// reads every store package, which a command that opens <c>mem://</c> or a path never needs.
    /// </summary>
    public void DescribeStoreUrls()
    {
        if (Description is { } description && !description.Contains("Store URLs: ", StringComparison.Ordinal))
            Description = description.Replace(Summary, Summary + Environment.NewLine + "Store URLs: " + Stores.Forms + ".", StringComparison.Ordinal);
    }
}
