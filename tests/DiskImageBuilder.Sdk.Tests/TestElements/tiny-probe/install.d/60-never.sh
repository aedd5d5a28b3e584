#!/bin/bash
# diskimage-builder's run-parts skips names with a dot; the SDK skips it too, with a warning.
echo ran > /probe/dotted-script-ran
