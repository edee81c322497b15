"""Compare @lrpjs/data's export with scikit-learn's fetch_lfw_people on the same folder.

    /work/shared/reference/make_refhome.sh /tmp/refhome
    /usr/bin/python3 scripts/compare_sklearn.py /tmp/refhome /tmp/lrpjs-measure
"""
import json
import sys
import time

import numpy as np
from sklearn.datasets import fetch_lfw_people

refhome, export = sys.argv[1], sys.argv[2]
t = time.time()
ref = fetch_lfw_people(data_home=refhome, download_if_missing=False, slice_=(slice(68, 197), slice(68, 197)),
                       resize=0.5, min_faces_per_person=40, color=True)
print("scikit-learn fetch_lfw_people: %.2f s (joblib cache may apply)" % (time.time() - t))
images = np.load(export + "/images.npy")
targets = np.load(export + "/targets.npy")
names = json.load(open(export + "/target_names.json"))
diff = np.abs(images.astype(np.float64) - ref.images)
print("shape", images.shape, ref.images.shape, "dtype", images.dtype)
print("targets equal:", np.array_equal(targets, ref.target), "names equal:", names == list(ref.target_names))
print("MAD %.3g, max abs diff %.3g, bit-identical: %s" % (diff.mean(), diff.max(), np.array_equal(images, ref.images)))
