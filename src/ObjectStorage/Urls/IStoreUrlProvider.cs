namespace ObjectStorage;

/// <summary>Supplies the URL schemes of one package's stores, and the store types it adds to configuration files; named by a <see cref="StoreUrlProviderAttribute"/> on its assembly.</summary>
public interface IStoreUrlProvider
{
    /// <summary>The schemes this package opens, each with its factory and accepted forms.</summary>
    IEnumerable<StoreUrlScheme> Schemes { get; }

    /// <summary>The store types this package adds to configuration files (<see cref="StoreConfigTypes"/>); none by default.</summary>
    IEnumerable<StoreConfigType> ConfigTypes => [];
}

/// <summary>One URL scheme: its name (<c>sqlite</c>), the factory that opens its stores and the forms shown when a URL is wrong.</summary>
public sealed record StoreUrlScheme(string Name, StoreUrlFactory Factory, IReadOnlyList<string> Forms);
