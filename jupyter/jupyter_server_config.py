# The JupyterLab of `./run lab`: `./run lab` puts this folder on JUPYTER_CONFIG_PATH (your own
# ~/.jupyter still applies, and wins where both set something). For a JupyterLab of your own, in an
# environment where baocao is installed: `JUPYTER_CONFIG_PATH=/path/to/baocao/jupyter jupyter lab`,
# or copy these lines into your jupyter_server_config.py. README, "Editing guide", says why.
c = get_config()  # noqa: F821

# Saving writes the notebook pair without outputs, execution counts or per-machine metadata:
# a saved notebook differs from the committed one only by what the analyst edited.
c.ContentsManager.pre_save_hook = "baocao.build.lab.strip_on_save"
# ... and opens a notebook with the language_info its kernel reports, so that opening marks
# nothing as changed (jupytext's contents manager is derived from this one).
c.ServerApp.contents_manager_class = "baocao.build.lab.LabContentsManager"

# Kernels talk to the server over Unix sockets in Jupyter's runtime folder (private to you), as the
# builder's kernels do: no TCP ports to race for, no "running over TCP without encryption" warning.
# (TCP where those socket paths would be too long: a very long runtime folder.)
from baocao.build.lab import kernel_transport  # noqa: E402

c.KernelManager.transport = kernel_transport()

# A kernel nobody is connected to (its tab closed, the browser gone) and idle for 10 minutes is
# shut down: report kernels hold 150-250 MB each. A kernel with an open tab is never culled.
c.MappingKernelManager.cull_idle_timeout = 600
c.MappingKernelManager.cull_interval = 60
c.MappingKernelManager.cull_connected = False

# Prints where the lab is and what to do next once it listens (baocao.build.lab).
c.ServerApp.jpserver_extensions = {"baocao.build.lab": True}
