/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-account-private.h: what the account's set-up and its sync share. */
#pragma once

#include "kontor-mail-account.h"
#include "kontor-mail-journal.h"

G_BEGIN_DECLS

struct _KontorMailAccount
{
  GObject parent_instance;

  /* Owned */
  char *id;
  char *email;
  CamelStore *store;
  KontorMailFolder *root;
  GHashTable *folders; /* full name -> KontorMailFolder (main thread) */
  GHashTable *opened;  /* full name -> CamelFolder, under lock */
  GHashTable *primed;  /* full names whose first sync is done, under lock */
  GStrv folder_names;  /* the selectable folders, under lock */
  char *role_names[KONTOR_MAIL_ROLE_OUTBOX + 1]; /* full name per role, under lock */
  KontorMailJournal *journal;
  char *last_error;
  GMutex lock;
  GMutex sync_lock; /* one sync at a time: a second one waits, then runs */
  int body_days;
  gint network_allowed; /* atomic: FALSE while the user works offline or has no network */

  /* Borrowed */
  CamelSession *session;
  KontorMailPasswordFunc password_func;
  gpointer password_data;
};

void kontor_mail_account_emit_messages_added (KontorMailAccount *self,
                                              const char *folder_id,
                                              const char *const *message_ids);
void kontor_mail_account_emit_folders_changed (KontorMailAccount *self);

G_END_DECLS
