/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-outbox-private.h: what the outbox's queue and its sending share. */
#pragma once

#include "kontor-mail-engine.h"
#include "kontor-mail-outbox.h"

G_BEGIN_DECLS

typedef struct
{
  char *id;
  char *account_id;
  char *from;       /* the envelope sender */
  GStrv recipients; /* the envelope: To, Cc and Bcc */
  char *to;         /* To and Cc as shown */
  char *subject;
  char *message_id;
  KontorMailOutboxState state;
  char *error;
  guint attempts;
  gint64 next_attempt; /* seconds since 1970; 0: as soon as possible */
  gint64 created;
  gint64 send_after;   /* not before this time (undo-send); 0: no hold */
  gboolean check_sent; /* found "sent" at start-up: its copy may be in Sent already */
} KontorMailOutboxEntry;

struct _KontorMailOutbox
{
  GObject parent_instance;

  /* Owned */
  KontorAccountService *accounts_model;
  CamelSession *session;
  char *dir;
  GMainContext *context;
  GMutex lock;         /* guards entries and accounts */
  GHashTable *entries; /* id -> KontorMailOutboxEntry */
  GPtrArray *accounts; /* KontorAccount with mail, in the service's order */
  GCancellable *cancellable;
  guint timeout_id;
  gboolean online;
  gboolean flushing;

  /* Borrowed */
  KontorMailEngine *engine;
};

void kontor_mail_outbox_entry_free (KontorMailOutboxEntry *entry);
KontorMailOutboxEntry *kontor_mail_outbox_entry_copy (const KontorMailOutboxEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KontorMailOutboxEntry, kontor_mail_outbox_entry_free)

char *kontor_mail_outbox_path (KontorMailOutbox *self, const char *id, const char *suffix);
gboolean kontor_mail_outbox_save_entry (KontorMailOutbox *self,
                                        const KontorMailOutboxEntry *entry,
                                        GError **error);
void kontor_mail_outbox_update (KontorMailOutbox *self, const KontorMailOutboxEntry *entry);
void kontor_mail_outbox_remove (KontorMailOutbox *self, const char *id);
void kontor_mail_outbox_emit_changed (KontorMailOutbox *self);
void kontor_mail_outbox_load (KontorMailOutbox *self);
void kontor_mail_outbox_schedule_flush (KontorMailOutbox *self);
KontorAccount *kontor_mail_outbox_ref_account (KontorMailOutbox *self, const char *from);
CamelMimeMessage *kontor_mail_outbox_load_message (KontorMailOutbox *self,
                                                   const char *id,
                                                   GCancellable *cancellable,
                                                   GError **error);

/* kontor-mail-outbox-send.c: one entry's attempt, in a worker thread. */
void
kontor_mail_outbox_send_entry (KontorMailOutbox *self, const char *id, GCancellable *cancellable);

void kontor_mail_outbox_trim_memory (void);

G_END_DECLS
