# Convenience targets; the scripts are the source of truth.
.PHONY: demo test bench docs ensure-deps
demo:
	scripts/demo.sh
test:
	scripts/test.sh
bench:
	scripts/bench.sh
docs:
	scripts/gen-docs.sh
ensure-deps:
	scripts/ensure-deps.sh
