#!/bin/bash -eu
# Builds each script of fuzz/ into $OUT the standard way (compile_python_fuzzer bundles it with
# PyInstaller); a protocol's own fuzzer gets a seed corpus made from that protocol's golden vectors.
pip3 install .
protocols=" $(python3 -c 'from wirecheck import protocols; print(" ".join(protocols.names()))') "
for fuzzer in fuzz/*.py; do
    name=$(basename "$fuzzer" .py)
    # The registry finds the codecs by listing wirecheck.codecs: bundle every submodule.
    compile_python_fuzzer "$fuzzer" --collect-submodules=wirecheck
    if [[ "$protocols" == *" $name "* ]]; then
        python3 -m wirecheck.fuzz.seeds "$name" "$OUT/${name}_seed_corpus.zip"
    fi
done
