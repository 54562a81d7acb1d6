/** How long each workshop field may be: the form's inputs say it, the server's checks hold it (form.server.ts). */
export const WORKSHOP_LIMITS = { title: 160, place: 300, videoUrl: 500, capacity: 10_000, speaker: 120, facilitators: 20, reason: 1000 } as const;
