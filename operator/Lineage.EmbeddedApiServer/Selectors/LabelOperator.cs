namespace Lineage.EmbeddedApiServer.Selectors;

/// <summary>The operators of label selector requirements (<c>=</c>/<c>==</c>, <c>!=</c>, <c>in</c>, <c>notin</c>, <c>key</c>, <c>!key</c>).</summary>
internal enum LabelOperator { Equals, NotEquals, In, NotIn, Exists, DoesNotExist }
