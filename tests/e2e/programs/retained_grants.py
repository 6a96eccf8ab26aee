"""Variant of __main__.py: the example stack with every delegated grant marked
`retain_on_delete` and `protect` by a stack transformation. Neither grants anything by itself,
but a grant removed later would stay in the tenant, or fail the update: the comment lists both."""

from pathlib import Path

import pulumi

from components.core.naming import GRANT_TYPE
from components.program import declare_stack


def keep_grants(
    args: pulumi.ResourceTransformationArgs,
) -> pulumi.ResourceTransformationResult | None:
    if args.type_ != GRANT_TYPE:
        return None
    opts = pulumi.ResourceOptions.merge(
        args.opts, pulumi.ResourceOptions(retain_on_delete=True, protect=True)
    )
    return pulumi.ResourceTransformationResult(args.props, opts)


pulumi.runtime.register_stack_transformation(keep_grants)
declare_stack(Path(__file__).resolve().parent)
