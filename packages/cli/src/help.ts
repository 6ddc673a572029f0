import { EXIT_CODES_HELP } from './exit-codes.js';
import { DEFAULT_MEMORY_LIMIT_MB } from './memory.js';

const BACKEND = '  --backend <cpu|wasm|webgpu>  TensorFlow.js backend (default wasm; webgpu: optional, see README)';

/** The usage text of the program (`main`) and of each command, printed by `--help` and `latentlab help <command>`. */
export const USAGE: Record<string, string> = {
  main: `Usage: latentlab <command> [options]

Commands:
  train    train a model and checkpoint it every epoch
  eval     evaluate a trained run (metrics JSON on stdout and in <run>/metrics.json)
  sample   decode samples of a trained VAE
  report   write an HTML report with PNG plots of a trained run
  bench    measure training throughput (samples/s)
  import   make a run directory from a .safetensors model trained elsewhere (PyTorch, pythae, latentlab_torch)

Run 'latentlab help <command>' (or 'latentlab <command> --help') for its options; 'latentlab --version'.
Every failure prints one line on stderr. Requests whose estimated memory (rows × features × 4 B × a factor)
exceeds LATENTLAB_MAX_MEMORY_MB (default ${DEFAULT_MEMORY_LIMIT_MB}) are refused up front.

${EXIT_CODES_HELP}`,
  train: `Usage: latentlab train --out <dir> [options]

  --model <vae|ae|linear-ae|pca>  model to train (default vae); on images the VAE and autoencoders use the
                      Bernoulli likelihood (loss in nats per image), on CSV features a Gaussian / squared error
  --dataset <mnist|fashion-mnist|file.csv>  training data (default mnist)
  --latent <n>        latent dimension / PCA components (default 20)
  --hidden <n,n,...>  hidden layer widths (default 400; ignored by linear-ae and pca)
  --epochs <n>        total epochs (default 10)
  --batch-size <n>    examples per step (default 128)
  --lr <x>            Adam learning rate (default 1e-3)
  --beta <x>          VAE: weight of the KL term (default 1)
  --seed <n>          seed of the weights, the shuffle and the noise (default 0)
  --limit <n>         use only the first n training examples
${BACKEND}
  --workers <n|auto>  VAE/AE: train on n worker threads, each computing a share of every batch (default auto:
                      the run's first steps rate 1, then 2, 4... workers, and the fastest count trains the
                      rest, never one measured slower than 1; said on stderr)
  --validation-split <f>  VAE/AE: hold out the last fraction f of the rows and report their loss every epoch
                      (default 0.1; 0: train on all rows; a resumed run keeps its split)
  --resume            continue the run in --out from its last checkpoint (end of the last finished epoch)
  --out <dir>         run directory: model.json, weights, run.json`,
  eval: `Usage: latentlab eval <run-dir> [options]

  --iwae <K>          VAE: importance-weighted NLL with K samples (default 0: skip)
  --limit <n>         evaluate the first n test examples only
  --batch-size <n>    examples per batch (default 500)
  --seed <n>          seed of the IWAE samples (default 0)
${BACKEND}`,
  import: `Usage: latentlab import <file.safetensors> --out <dir> [options]

  Reads a model trained elsewhere — pytorch/examples vae/main.py (fc1, fc21, fc22, fc3, fc4), pythae's default MLP
  VAE/AE, latentlab_torch's export or any Latentlab export (its <name>.json beside it is read when the file's
  metadata lacks the config), a scikit-learn PCA export — and writes a run directory that eval, sample and
  report use like one trained here.

  --out <dir>         run directory: model.json, weights, run.json
  --dataset <mnist|fashion-mnist|file.csv>  the data eval/sample/report use (default mnist)
  --epochs <n>        epochs it was trained for (recorded in run.json, default 0)
  --batch-size <n>    batch size recorded in run.json (default 128)
${BACKEND}`,
  sample: `Usage: latentlab sample <run-dir> [options]

  -n <count>          number of samples (default 64)
  --out <file>        .png (a grid of square images) or .json (default samples.json)
  --seed <n>          seed of z ~ N(0, I) (default 0)
${BACKEND}`,
  report: `Usage: latentlab report <run-dir> --out <dir> [options]

  Writes <dir>/index.html and one PNG per plot: loss curves, latent codes (scatter; PCA projection and scree
  when the latent has more than 2 dimensions), KL per latent dimension (VAE), explained variance (PCA),
  reconstructions, prior samples (VAE), the decoded manifold and an interpolation (square images only, pixel
  values clipped to [0, 1]).

  --out <dir>         report directory (created)
  --points <n>        test examples encoded for the latent plots and the KL (default 5000)
  --images <n>        inputs shown with their reconstructions, and prior samples (8..16, default 16)
  --seed <n>          seed of the prior samples (default 0)
${BACKEND}`,
  bench: `Usage: latentlab bench [options]

  --model <vae|ae|linear-ae>  model (default vae)
  --dataset <mnist|fashion-mnist|file.csv>  data (default mnist)
  --limit <n>         examples per epoch (default 10000)
  --batch-size <n>    examples per step (default 128)
  --latent <n>, --hidden <n,...>  architecture (defaults 20, 400)
${BACKEND}`,
};
