#!/usr/bin/env python3
"""Writes a one-layer docker-archive tar (the format `docker save` writes and Jib reads as a tar:// base image)
from a root file system folder. Usage: oci-base.py <rootfs> <out.tar>"""
import hashlib, io, json, os, sys, tarfile

rootfs, out = sys.argv[1], sys.argv[2]
layer_path = out + ".layer"
with tarfile.open(layer_path, "w", format=tarfile.PAX_FORMAT) as layer:
    for name in sorted(os.listdir(rootfs)):
        if name in ("proc", "sys", "dev"):
            # Mount points only: the container runtime fills them.
            info = tarfile.TarInfo(name)
            info.type, info.mode = tarfile.DIRTYPE, 0o755
            layer.addfile(info)
            continue
        layer.add(os.path.join(rootfs, name), arcname=name)
digest = hashlib.sha256()
with open(layer_path, "rb") as f:
    for chunk in iter(lambda: f.read(1 << 20), b""):
        digest.update(chunk)
diff_id = "sha256:" + digest.hexdigest()
config = {
    "architecture": "amd64", "os": "linux",
    "config": {"Env": ["PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                       "JAVA_HOME=/opt/java", "LANG=C.UTF-8"], "User": "185", "WorkingDir": "/deployments"},
    "rootfs": {"type": "layers", "diff_ids": [diff_id]},
    "history": [{"created_by": "image/build.sh oci: debootstrap --variant=minbase bookworm + jlink runtime"}],
}
config_bytes = json.dumps(config).encode()
config_name = hashlib.sha256(config_bytes).hexdigest() + ".json"
manifest = json.dumps([{"Config": config_name, "RepoTags": ["mecgw/base:bookworm"], "Layers": ["layer.tar"]}]).encode()
with tarfile.open(out, "w") as tar:
    tar.add(layer_path, arcname="layer.tar")
    for name, data in ((config_name, config_bytes), ("manifest.json", manifest)):
        info = tarfile.TarInfo(name)
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
os.remove(layer_path)
print(f"{out}: {diff_id}")
