using System.Text;

namespace Lineage.LocalNode.Containers;

/// <summary>
/// The kubelet's <c>$(VAR)</c> expansion in command, args and env values: a defined variable is replaced, an
/// undefined one is left as written, and <c>$$</c> is an escaped <c>$</c>.
/// </summary>
public static class VariableExpansion
{
    public static string Expand(string input, Func<string, string?> lookup)
    {
        if (!input.Contains('$')) return input;
        var output = new StringBuilder(input.Length);
        var i = 0;
        while (i < input.Length)
        {
            var c = input[i];
            if (c != '$' || i + 1 >= input.Length)
            {
                output.Append(c);
                i++;
                continue;
            }
            var next = input[i + 1];
            if (next == '$')
            {
                output.Append('$');
                i += 2;
            }
            else if (next == '(' && input.IndexOf(')', i + 2) is var close and > 0)
            {
                var name = input[(i + 2)..close];
                output.Append(lookup(name) ?? input[i..(close + 1)]);
                i = close + 1;
            }
            else
            {
                output.Append(c);
                i++;
            }
        }
        return output.ToString();
    }
}
