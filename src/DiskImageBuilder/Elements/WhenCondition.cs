namespace DiskImageBuilder.Elements;

/// <summary>
/// One <c>when:</c> test of a package-installs entry: <c>VAR=value</c> or <c>VAR!=value</c> against the build
/// environment. A list of them must all hold.
/// </summary>
/// <param name="Variable">The environment variable tested.</param>
/// <param name="NotEqual">True for <c>!=</c>, false for <c>=</c>.</param>
/// <param name="Value">The value compared with, trimmed.</param>
/// <param name="Line">The 1-based line of the test in its package-installs file.</param>
public sealed record WhenCondition(string Variable, bool NotEqual, string Value, int Line)
{
    /// <summary>
    /// Parses <c>VAR=value</c> or <c>VAR != value</c> (DIB allows blanks around the operator); returns null
    /// when <paramref name="text"/> has neither form.
    /// </summary>
    public static WhenCondition? TryParse(string text, int line)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
            return null;
        var notEqual = text[equals - 1] == '!';
        var variable = text[..(notEqual ? equals - 1 : equals)].Trim();
        if (variable.Length == 0 || !variable.All(c => char.IsLetterOrDigit(c) || c == '_'))
            return null;
        return new WhenCondition(variable, notEqual, text[(equals + 1)..].Trim(), line);
    }

    /// <summary>Whether the test holds in <paramref name="environment"/>; null when the variable is not set.</summary>
    public bool? Evaluate(IReadOnlyDictionary<string, string> environment) =>
        environment.TryGetValue(Variable, out var actual)
            ? string.Equals(actual, Value, StringComparison.Ordinal) != NotEqual
            : null;

    /// <summary>The test as written in package-installs, e.g. <c>DIB_FEATURE!=1</c>.</summary>
    public override string ToString() => $"{Variable}{(NotEqual ? "!=" : "=")}{Value}";
}
