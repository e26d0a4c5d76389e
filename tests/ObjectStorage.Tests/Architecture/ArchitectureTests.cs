using Assembly = System.Reflection.Assembly;
using IType = ArchUnitNET.Domain.IType;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnitV3;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace ObjectStorage.Tests.Architecture;

/// <summary>
/// Who may use whom, as docs/architecture.md states it, checked on the compiled assemblies: each
/// part's types may depend only on the parts listed for it. A type's part comes from the folder of
/// its source file (<see cref="SourceParts"/>), since every public type shares namespace ObjectStorage.
/// </summary>
public sealed class ArchitectureTests
{
    // The core base: ObjectStore and its keys, errors and order, its telemetry, and the URL registry.
    private static readonly string[] Base = [SourceParts.Core, "Telemetry", "Urls"];

    /// <summary>The table of docs/architecture.md: each part and the parts its types may use (itself included).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> MayUse = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [SourceParts.Core] = Base,
        ["Telemetry"] = Base,
        ["Urls"] = Base,
        ["Media"] = [.. Base, "Media"],
        ["Wrappers"] = [.. Base, "Wrappers"],
        // CachingStore takes a DictStore cache's capacity as its default object limit.
        ["Composites"] = [.. Base, "Media", "Composites"],
        ["Sync"] = [.. Base, "Sync"],
        ["Typed"] = [.. Base, "Typed"],
        ["Sqlite"] = [.. Base, "Sqlite"],
        ["S3"] = [.. Base, "S3"],
        ["Azure"] = [.. Base, "Azure"],
        ["Redis"] = [.. Base, "Redis"],
        ["Server"] = [.. Base, "Server"],
        ["Logging"] = [.. Base, "Wrappers", "Logging"],
        // The core's types by the original's names: its media, wrappers and composites.
        ["Configuration"] = [.. Base, "Media", "Wrappers", "Composites", "Configuration"],
        ["DependencyInjection"] = [.. Base, "Composites", "Wrappers", "Logging", "Configuration", "DependencyInjection"],
        ["Cli"] = [.. Base, "Media", "Wrappers", "Composites", "Sync", "Sqlite", "S3", "Azure", "Redis", "Server", "Configuration", "Cli"],
    };

    private static readonly SourceParts Parts = SourceParts.Read();

    private static readonly Assembly[] Assemblies =
    [
        typeof(ObjectStore).Assembly,
        typeof(SqliteStore).Assembly,
        typeof(BucketStore).Assembly,
        typeof(AzureBlobStore).Assembly,
        typeof(RedisStore).Assembly,
        typeof(ObjectStorage.Server.S3Server).Assembly,
        typeof(LoggingStore).Assembly,
        typeof(StoreConfigFile).Assembly,
        typeof(StoreSettings).Assembly,
        Assembly.Load("objstore"),
    ];

    private static readonly ArchUnitNET.Domain.Architecture Compiled = new ArchLoader().LoadAssemblies(Assemblies).Build();

    public static TheoryData<string> PartNames => [.. MayUse.Keys];

    [Theory]
    [MemberData(nameof(PartNames))]
    public void A_part_uses_only_the_parts_it_may(string part)
    {
        var own = TypesOf(p => p == part);
        var forbidden = TypesOf(p => !MayUse[part].Contains(p));
        Assert.NotEmpty(own);
        Assert.SkipWhen(forbidden.Count == 0, $"{part} may use every part");

        var because = $"{part} may use only {string.Join(", ", MayUse[part])} (docs/architecture.md)";
        Types().That().Are(own).Should().NotDependOnAny(Types().That().Are(forbidden)).Because(because).Check(Compiled);
    }

    [Fact]
    public void Every_folder_that_declares_types_is_a_part_in_the_table()
    {
        Assert.Empty(Parts.Names.Except(MayUse.Keys));
    }

    [Fact]
    public void Every_type_the_compiler_emitted_from_our_sources_has_a_part()
    {
        // Generated types (regex engines, state machines' hosts, <Module>) have no source file of ours.
        var unplaced = Compiled.Types
            .Where(t => !t.FullName.Contains('<', StringComparison.Ordinal) && !t.FullName.StartsWith("System.", StringComparison.Ordinal)
                && !t.FullName.StartsWith("Microsoft.CodeAnalysis.", StringComparison.Ordinal) && t.FullName != "Program")
            .Where(t => Assemblies.Any(a => a.GetName().Name == t.Assembly.Name.Split(',')[0]))
            .Where(t => Parts.PartOf(t.FullName) is null)
            .Select(t => t.FullName);
        Assert.Empty(unplaced);
    }

    private static List<IType> TypesOf(Func<string, bool> partMatches) =>
        [.. Compiled.Types.Where(t => Parts.PartOf(t.FullName) is { } p && partMatches(p))];
}
