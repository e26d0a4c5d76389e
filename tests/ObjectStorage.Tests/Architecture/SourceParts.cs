using System.Text.RegularExpressions;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Architecture;

/// <summary>
/// The part of the architecture each type belongs to, read from the folder of the source file that
/// declares it: public types all live in namespace <c>ObjectStorage</c> (so users need one using),
/// which is why namespaces cannot say which part a type is in. In project <c>src/ObjectStorage</c> the
/// first folder below the project names the part (<c>Media/ZipStore.cs</c> is Media) and a file at the
/// project root is Core; every other project under <c>src/</c> is one part, named after the project's
/// last name segment (<c>ObjectStorage.Sqlite</c> is Sqlite).
/// </summary>
public sealed partial class SourceParts
{
    public const string Core = "Core";

    private readonly Dictionary<string, string> _partOfType = new(StringComparer.Ordinal);

    private SourceParts() { }

    /// <summary>The parts as the sources under <c>src/</c> of this checkout lay them out.</summary>
    public static SourceParts Read()
    {
        var parts = new SourceParts();
        var src = Path.Combine(Repository.Root, "src");
        var declared = new Dictionary<string, List<(string Part, string File)>>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(src, file).Replace('\\', '/');
            var segments = relative.Split('/');
            if (segments.Length < 2 || segments[1] is "obj" or "bin") continue;
            var part = PartOf(segments);
            var text = File.ReadAllText(file);
            var ns = NamespacePattern().Match(text) is { Success: true } m ? m.Groups[1].Value + "." : "";
            // Only top-level declarations (column 0 under a file-scoped namespace): nested types go with their outer type.
            foreach (Match declaration in TypePattern().Matches(text))
            {
                var name = ns + declaration.Groups["name"].Value;
                if (!declared.TryGetValue(name, out var places)) declared[name] = places = [];
                places.Add((part, Path.GetFileNameWithoutExtension(file)));
            }
        }
        foreach (var (name, places) in declared)
        {
            // A partial type spread over folders (ObjectStore.Telemetry.cs in Telemetry/) belongs where its own file is.
            var simple = name[(name.LastIndexOf('.') + 1)..];
            var distinct = places.Select(p => p.Part).Distinct().ToList();
            parts._partOfType[name] = distinct.Count == 1 ? distinct[0] : places.First(p => p.File == simple).Part;
        }
        return parts;
    }

    /// <summary>Every part that declares at least one type.</summary>
    public IReadOnlyCollection<string> Names => [.. _partOfType.Values.Distinct().Order(StringComparer.Ordinal)];

    /// <summary>The part of the type with <paramref name="fullName"/> (nested as <c>Outer+Inner</c> or <c>Outer/Inner</c>, generic with a backtick), or null when no source file declares it.</summary>
    public string? PartOf(string fullName)
    {
        var outer = fullName.Split('+', '/')[0];
        int tick = outer.IndexOf('`', StringComparison.Ordinal);
        if (tick >= 0) outer = outer[..tick];
        return _partOfType.GetValueOrDefault(outer);
    }

    private static string PartOf(string[] segments)
    {
        var project = segments[0];
        if (project != "ObjectStorage") return project[(project.LastIndexOf('.') + 1)..];
        return segments.Length > 2 ? segments[1] : Core;
    }

    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex NamespacePattern();

    [GeneratedRegex(@"^(?:(?:public|internal|file|static|sealed|abstract|partial|readonly|ref|unsafe)\s+)*(?:class|struct|interface|enum|record(?:\s+class|\s+struct)?|delegate\s+[^(]+?)\s+(?<name>\w+)", RegexOptions.Multiline)]
    private static partial Regex TypePattern();
}
