using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace ObjectStorage;

/// <summary>
/// Finds the assemblies that declare a <see cref="StoreUrlProviderAttribute"/>: this one and the loaded
/// ones first, then, when a scheme is not among theirs, the application's own that are not loaded yet. An unloaded file is read as metadata
/// only and loaded just when it declares a provider, so discovery never loads the whole framework.
/// </summary>
internal static class StoreUrlProviders
{
    private static readonly Assembly s_core = typeof(StoreUrl).Assembly;
    private static readonly string s_coreName = s_core.GetName().Name!;

    /// <summary>This assembly first, then the loaded ones in name order.</summary>
    public static IEnumerable<Assembly> Loaded()
    {
        yield return s_core;
        // Ahead of time every assembly counts as loaded, and asking each for the attribute is most of a short
        // command's start-up: the others wait, as unloaded ones do, until a scheme is not found in this one.
        if (!RuntimeFeature.IsDynamicCodeSupported) yield break;
        foreach (var assembly in LoadedByName()) yield return assembly;
    }

    private static IOrderedEnumerable<Assembly> LoadedByName() =>
        AppDomain.CurrentDomain.GetAssemblies().OrderBy(static a => a.FullName, StringComparer.Ordinal);

    /// <summary>The application assemblies not loaded yet that declare a provider, loaded here; a file that cannot be loaded is added to <paramref name="failures"/>.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Assemblies are loaded from files only where code is compiled at run time; an application compiled ahead of time has every assembly in its image, and they are given as they are.")]
    public static IEnumerable<Assembly> Unloaded(ICollection<string> failures)
    {
        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            foreach (var compiled in LoadedByName()) yield return compiled;
            yield break;
        }
        var loadedNames = new HashSet<string>(AppDomain.CurrentDomain.GetAssemblies().Select(static a => a.GetName().Name ?? ""), StringComparer.OrdinalIgnoreCase);
        foreach (var (path, trusted) in ApplicationFiles())
        {
            if (loadedNames.Contains(Path.GetFileNameWithoutExtension(path))) continue;
            var name = ProviderAssemblyName(path);
            if (name is null) continue;
            Assembly? assembly = null;
            try
            {
                // A trusted assembly loads by name as any reference would; a file only in the base directory (a plug-in) by path.
                assembly = trusted ? Assembly.Load(name) : AssemblyLoadContext.Default.LoadFromAssemblyPath(path);
            }
            catch (Exception e) when (e is IOException or BadImageFormatException)
            {
                failures.Add($"{path}: {e.Message}");
            }
            if (assembly is not null) yield return assembly;
        }
    }

    /// <summary>True when <paramref name="assembly"/> could declare a provider: it is this one or references it.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The references are read only where code is compiled at run time; ahead of time every assembly may declare, and its attributes decide.")]
    public static bool MayDeclare(Assembly assembly)
    {
        if (assembly == s_core) return true;
        if (assembly.IsDynamic) return false;
        // Compiled ahead of time, an assembly keeps no list of references; the attribute lookup that follows
        // is the test, and it is cheap there, where metadata was resolved at compile time.
        if (!RuntimeFeature.IsDynamicCodeSupported) return true;
        foreach (var reference in assembly.GetReferencedAssemblies())
            if (string.Equals(reference.Name, s_coreName, StringComparison.Ordinal)) return true;
        return false;
    }

    /// <summary>Every provider <paramref name="assembly"/> declares; a provider that cannot be made is added to <paramref name="failures"/>.</summary>
    public static List<IStoreUrlProvider> ProvidersOf(Assembly assembly, ICollection<string> failures)
    {
        var providers = new List<IStoreUrlProvider>();
        IEnumerable<StoreUrlProviderAttribute> attributes;
        try
        {
            attributes = [.. assembly.GetCustomAttributes<StoreUrlProviderAttribute>()];
        }
        catch (Exception e) when (e is IOException or TypeLoadException or BadImageFormatException)
        {
            failures.Add($"{assembly.GetName().Name}: {e.Message}");
            return providers;
        }
        foreach (var attribute in attributes)
        {
            try
            {
                if (Activator.CreateInstance(attribute.ProviderType) is not IStoreUrlProvider provider)
                {
                    failures.Add($"{attribute.ProviderType.FullName} in {assembly.GetName().Name} does not implement {nameof(IStoreUrlProvider)}");
                    continue;
                }
                providers.Add(provider);
            }
            catch (Exception e) when (e is MissingMethodException or TargetInvocationException or TypeLoadException or IOException)
            {
                failures.Add($"{attribute.ProviderType.FullName} in {assembly.GetName().Name}: {(e.InnerException ?? e).Message}");
            }
        }
        return providers;
    }

    // The trusted platform assemblies outside the shared framework, then DLLs that only sit in the base directory.
    private static IEnumerable<(string Path, bool Trusted)> ApplicationFiles()
    {
        var frameworks = Path.GetDirectoryName(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(RuntimeEnvironment.GetRuntimeDirectory())));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var trusted = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var path in trusted)
        {
            if (frameworks is not null && path.StartsWith(frameworks + Path.DirectorySeparatorChar, StringComparison.Ordinal)) continue;
            if (seen.Add(Path.GetFullPath(path))) yield return (path, true);
        }
        string[] local;
        try
        {
            local = Directory.GetFiles(AppContext.BaseDirectory, "*.dll");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            yield break;
        }
        Array.Sort(local, StringComparer.Ordinal);
        foreach (var path in local)
            if (seen.Add(Path.GetFullPath(path))) yield return (path, false);
    }

    // Reads only the metadata: the assembly's name when it references this one and carries the attribute, else null.
    private static AssemblyName? ProviderAssemblyName(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata) return null;
            var metadata = pe.GetMetadataReader();
            if (!metadata.IsAssembly || !ReferencesCore(metadata)) return null;
            var definition = metadata.GetAssemblyDefinition();
            foreach (var handle in definition.GetCustomAttributes())
                if (IsProviderAttribute(metadata, metadata.GetCustomAttribute(handle))) return definition.GetAssemblyName();
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException or InvalidOperationException)
        {
            // Not a readable managed assembly (a native library, a locked file): it declares nothing we can use.
            return null;
        }
    }

    private static bool ReferencesCore(MetadataReader metadata)
    {
        foreach (var handle in metadata.AssemblyReferences)
            if (metadata.StringComparer.Equals(metadata.GetAssemblyReference(handle).Name, s_coreName)) return true;
        return false;
    }

    private static bool IsProviderAttribute(MetadataReader metadata, CustomAttribute attribute)
    {
        if (attribute.Constructor.Kind != HandleKind.MemberReference) return false;
        var constructor = metadata.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
        if (constructor.Parent.Kind != HandleKind.TypeReference) return false;
        var type = metadata.GetTypeReference((TypeReferenceHandle)constructor.Parent);
        return metadata.StringComparer.Equals(type.Name, nameof(StoreUrlProviderAttribute))
            && metadata.StringComparer.Equals(type.Namespace, typeof(StoreUrlProviderAttribute).Namespace!);
    }
}
