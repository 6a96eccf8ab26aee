"""Variant of __main__.py: the example stack with `ignore_changes=["claimValues"]` added to every
delegated grant by a stack transformation, which takes the grants' scopes out of the stack's
governance (a scope widened outside the stack would stay, and an import would adopt it). The
pack must refuse the option."""

from pathlib import Path

import pulumi

from components.core.naming import GRANT_TYPE
from components.program import declare_stack


def ignore_scopes(
    args: pulumi.ResourceTransformationArgs,
) -> pulumi.ResourceTransformationResult | None:
    if args.type_ != GRANT_TYPE:
        return None
    opts = pulumi.ResourceOptions.merge(
        args.opts, pulumi.ResourceOptions(ignore_changes=["claimValues"])
    )
    return pulumi.ResourceTransformationResult(args.props, opts)


pulumi.runtime.register_stack_transformation(ignore_scopes)
declare_stack(Path(__file__).resolve().parent)
