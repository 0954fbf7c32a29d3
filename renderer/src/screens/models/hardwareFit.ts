import type { Hardware } from '../../../../shared/schemas/models.js';

export type HardwareFit = { level: 'good' | 'tight' | 'too-big'; text: string };

const GIB = 1024 ** 3;

/**
 * Whether a model with this RAM need suits this machine. VRAM counts when there is a usable GPU (layers can be
 * offloaded). Margins: "good" leaves 25% of total memory for the OS and other apps; "tight" fits the total but
 * not today's free memory or the margin; below that it will swap or fail to load.
 */
export function hardwareFit(minRamGb: number, hardware: Hardware): HardwareFit {
  const totalGb = (hardware.ramBytes + (hardware.gpu !== 'cpu' ? (hardware.vramBytes ?? 0) : 0)) / GIB;
  const freeGb = hardware.freeRamBytes / GIB;
  if (totalGb < minRamGb) return { level: 'too-big', text: `Needs ~${minRamGb} GB; this machine has ${totalGb.toFixed(1)} GB` };
  if (totalGb * 0.75 < minRamGb || freeGb < minRamGb) {
    return { level: 'tight', text: `Tight: needs ~${minRamGb} GB, ${freeGb.toFixed(1)} GB free now` };
  }
  return { level: 'good', text: `Fits: needs ~${minRamGb} GB of ${totalGb.toFixed(1)} GB` };
}
