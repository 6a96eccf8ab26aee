"""Fakes the tests and the benchmarks share: Pulumi's mock runtime over a fake tenant, a driver
of the policy pack's analyzer protocol, the policy corpus and example stacks, synthetic preview
digests. Only tests and benchmarks import them."""
