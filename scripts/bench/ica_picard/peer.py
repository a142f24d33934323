"""sklearn side: FastICA on the ica_fastica problem (see bench.conf), without a check value."""
import os
import runpy

os.environ["GY_ICA_NO_CHECK"] = "1"
runpy.run_path(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ica_fastica",
                            "peer.py"), run_name="__main__")
