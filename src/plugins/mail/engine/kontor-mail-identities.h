/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-identities.h: the addresses the user sends from: each mail account's own
 * address and its aliases, and the signature kept for each of them. GTK-free. */
#pragma once

#include "kontor-account.h"
#include "kontor-mail-engine.h"

G_BEGIN_DECLS

/**
 * KontorMailFrom:
 * @account_id: the account whose transport sends it
 * @name: (nullable): the name sent with the address
 * @address: the address
 * @alias: whether it is one of the account's aliases rather than its own address
 */
typedef struct
{
  char *account_id;
  char *name;
  char *address;
  gboolean alias;
} KontorMailFrom;

void kontor_mail_from_free (KontorMailFrom *from);
char *kontor_mail_from_format (const KontorMailFrom *from);

GPtrArray *kontor_mail_identities_for_account (KontorAccount *account);
KontorMailFrom *kontor_mail_identities_find (KontorAccount *account, const char *from);
KontorAccountService *kontor_mail_engine_get_account_service (KontorMailEngine *engine);
GVariant *kontor_mail_identities_list (KontorAccountService *accounts);

KontorAccount *kontor_mail_identities_ref_account (KontorAccountService *accounts,
                                                   const char *address);
char *kontor_mail_identities_dup_signature (KontorAccount *account, const char *address);
void kontor_mail_identities_set_signature_async (KontorAccountService *accounts,
                                                 const char *address,
                                                 const char *text,
                                                 GCancellable *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer user_data);
gboolean kontor_mail_identities_set_signature_finish (GAsyncResult *result, GError **error);

/* kontor-mail-signatures.c */
char *kontor_mail_signatures_dup (const char *address);
gboolean kontor_mail_signatures_set (const char *address, const char *text, GError **error);
char *kontor_mail_signature_format (const char *text);
char *kontor_mail_signature_append (const char *body, const char *signature);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KontorMailFrom, kontor_mail_from_free)

G_END_DECLS
