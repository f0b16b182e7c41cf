// The startup-config: CLI text in NVRAM, replayed through the exec at boot. (Placeholder.)
export function configBoot(): void {}
