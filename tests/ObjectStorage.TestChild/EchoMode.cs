namespace ObjectStorage.TestChild;

/// <summary>Prints its arguments: lets the tests check that the child starts.</summary>
public sealed class EchoMode : IChildMode
{
    public string Name => "echo";

    public int Run(string[] args)
    {
        Console.WriteLine(string.Join(' ', args));
        return 0;
    }
}
