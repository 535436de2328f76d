/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-engine-private.h: what the engine's set-up and its operations share. */
#pragma once

#include "kontor-mail-engine.h"

G_BEGIN_DECLS

struct _KontorMailEngine
{
  GObject parent_instance;

  /* Owned */
  KontorAccountService *accounts_model;
  CamelSession *session;
  GHashTable *accounts; /* id -> KontorMailAccount */
  GListStore *roots;    /* KontorMailFolder: the unified Inbox, then the accounts */
  KontorMailFolder *unified;
  KontorMailOutbox *outbox; /* from start () on */
  GCancellable *cancellable;
  char *data_dir;
  char *cache_dir;
  gulong network_id;
  guint periodic_id;
  gboolean work_offline;
  gboolean ready;
  guint pending_loads;
  guint n_inboxes;
  int body_days;
};

void kontor_mail_engine_emit_hidden_changed (KontorMailEngine *self);

G_END_DECLS
