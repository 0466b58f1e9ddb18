/** 日本語 (Japanese). */
import type { Catalogue, TimeToDeadline } from './catalogue.js';

const timeToDeadline = ({ hours, minutes, passed }: TimeToDeadline) =>
  passed ? `${hours}時間${minutes}分前に期限切れ` : `残り${hours}時間${minutes}分`;

export const ja: Catalogue = {
  // --- ticket mail ---
  ticket: {
    subject: ({ verified, renewal, domain, account, deadline }) =>
      `[ACM承認${verified ? '' : ' - 未検証のコピー'}] ${renewal ? '更新' : '新規'} ${domain} (${account}) - ${deadline} までに承認`,
    labels: {
      domain: 'ドメイン',
      request: '依頼の種類',
      account: 'AWS アカウント',
      region: 'リージョン',
      certificate: '証明書',
      console: 'コンソール',
      approveBefore: '承認期限',
      certificateExpires: '証明書の有効期限',
      firstReceived: '最初の受信',
      reachedAddresses: '受信したアドレス',
      rawMail: '元のメール (監査用)',
      owner: '担当チーム',
      authenticity: '送信元の検証',
    },
    requestKind: (renewal) => (renewal ? '既存の証明書の更新' : '新しい証明書'),
    accountNamed: (name, id) => `${name} (${id})`,
    timeToDeadline,
    approveBefore: (deadline, time) => `${deadline}、${timeToDeadline(time)}`,
    authenticity: (verified) =>
      verified
        ? '検証済み: ACM の DKIM 署名を SES が確認しました'
        : '未検証: 別のメールの中で転送されたコピーです。ACM からのメールである証拠はありません',
    intro: (domain) => `ACM が ${domain} の所有者に証明書リクエストの承認を求めています。`,
    followUpTrusted:
      'ACM がこの承認依頼を新しい承認リンク付きで再送しました。このリンクを使ってください。以前のリンクはもう使えない可能性があります。',
    followUpUnverified:
      'この依頼の別のコピーが異なる承認リンク付きで届きましたが、そのメールは認証されていません (転送か偽造)。そのリンクは表示しません。このスレッドの認証済みチケットのリンクを使うか、ACM コンソールから検証メールを再送してください。',
    checksHeading: '承認する前に確認してください:',
    checkRequested: (domain, account, region) =>
      `1. チームの誰かが AWS アカウント ${account}、リージョン ${region} で ${domain} の証明書をリクエストしたこと (上のコンソールのリンクで開けます)。`,
    checkApprovalPage: '2. 承認ページに、このとおりのドメイン、アカウント ID、リージョンが表示されていること。',
    checkNobodyAsked: '3. 誰もリクエストしていない場合は承認せず、セキュリティ担当者に連絡してください。',
    approvingNote:
      '承認は承認ページの「I Approve」ボタンで行います。このパイプラインが自動で承認することはありません。',
    linkNone: '承認リンク: このメールには使えるリンクがありません。コンソールから検証メールを再送してください。',
    linkHeading: '承認リンク (承認ページを開くだけで、開いただけでは承認されません):',
    linkWithheldHeading: '承認リンクは非表示 (認証されていないコピー):',
    linkWithheldAdvice: (accountId, accountName) =>
      `承認するには: コンソール (上記) で証明書を開き、当社のもの (アカウント ${accountId}、${accountName ?? '当社のアカウント'}) であることを確認してから「Resend validation email」(検証メールの再送) を使ってください。再送されたメールは認証済みで届き、そのチケットには使えるリンクが載ります。`,
  },
  // --- not-ACM summary ---
  notAcm: {
    subject: (subject) => `[ACMメールボックス] 承認依頼ではないメール: ${subject || '(件名なし)'}`,
    labels: {
      from: '差出人',
      subject: '件名',
      size: 'サイズ',
      whyNotAcm: 'ACM の承認依頼でない理由',
      received: '受信日時',
      reached: '受信したアドレス',
      rawMail: '元のメール',
    },
    none: '(なし)',
    sizeBytes: (bytes) => `${bytes} バイト`,
    intro: '監視中のメールボックスに、ACM の承認依頼ではないメールが届きました。メールの内容はここには載せていません。',
    advice: 'このメールを待っていたのでなければ、対応は不要です。元のメールは保存期間のあいだアーカイブに残ります。',
  },
  // --- digest ---
  digest: {
    htmlLang: 'ja',
    subject: (c) => {
      const parts = [`未対応${c.open}件`];
      if (c.expiringToday > 0) parts.push(`本日期限${c.expiringToday}件`);
      if (c.expired > 0) parts.push(`期限切れ${c.expired}件`);
      if (c.security > 0) parts.push(`要注意${c.security}件`);
      if (c.done > 0) parts.push(`完了${c.done}件`);
      if (c.mailboxesMissing > 0) parts.push(`受信できないメールボックス${c.mailboxesMissing}件`);
      return `ACM承認: ${parts.join('、')}`;
    },
    asOf: (owner, time) => `${owner} 宛ての証明書承認リクエスト(${time} 時点)`,
    summary: (c) => {
      const parts = [`要対応${c.open}件${c.expiringToday > 0 ? `(うち本日期限${c.expiringToday}件)` : ''}`];
      if (c.expired > 0) parts.push(`期限切れ${c.expired}件`);
      if (c.security > 0) parts.push(`当社以外のアカウント${c.security}件`);
      if (c.done > 0) parts.push(`完了${c.done}件`);
      if (c.mailboxesMissing > 0) parts.push(`受信できないメールボックス${c.mailboxesMissing}件(下記の監視を参照)`);
      return `${parts.join('・')}。`;
    },
    nothingOpen: (owner) => `${owner} 宛ての未対応のリクエストはありません。`,
    needsAction: (n) => `要対応(${n}件)`,
    expiredSection: (n) => `期限切れ: 再送が必要(${n}件)`,
    foreignSection: (n) => `当社以外のアカウント: 承認しないでください(${n}件)`,
    doneSection: (n) => `完了(${n}件)`,
    approveBy: (time, left, dueToday) =>
      `承認期限 ${time}(${dueToday ? '本日期限、' : ''}残り${left.hours}時間${left.minutes}分)`,
    windowClosed: (time, ago) =>
      `承認期限 ${time}(${'days' in ago ? `${ago.days}日前` : `${ago.hours}時間${ago.minutes}分前`}に期限切れ)`,
    doNotApprove: (accountId) => `承認しないでください: 当社のものではないアカウント ${accountId} からのリクエストです`,
    certificateIssued: '完了: ACMで証明書が発行済みです',
    openApprovalPage: '承認ページを開く',
    approvalPageLabel: '承認ページ',
    linkWithheldUnverified:
      'リンクは表示しません: 検証できないコピー(転送または偽装)でのみ届いたためです。ACMコンソールから承認メールを再送してください。',
    noLinkReceived: '承認リンクが届いていません。ACMコンソールから承認メールを再送してください。',
    resendExpired: '承認期限が過ぎました。ACMコンソールから承認メールを再送してください。',
    foreignAdvice: '誰も承認しないでください。心当たりがない場合はセキュリティ担当者に連絡してください。',
    nothingToDo: '対応は不要です。',
    laterUnverifiedLink: 'その後、検証できないコピーが別のリンクを届けました(表示しません)。',
    labels: {
      domain: 'ドメイン',
      account: 'アカウント',
      region: 'リージョン',
      kind: '種別',
      ticket: 'チケット',
      trust: '信頼性',
      acmStatus: 'ACMの状態',
      certificateExpires: '証明書の有効期限',
      reached: '送信先',
      firstReceived: '初回受信',
      linkAsReceived: 'リンク(クリック不可)',
    },
    renewal: '更新',
    newCertificate: '新規',
    trusted: '検証済みのACMメール',
    unverified: '未認証',
    acmStatus: {
      issued: '発行済み(ACM)',
      pending: '検証待ち(ACM)',
      failed: '失敗(ACM)',
      unknown: '不明(状態確認ロールなし)',
    },
    unknown: '不明',
    certificateExpiry: (time, days) => {
      if (days === null) return time;
      if (days > 0) return `${time}(更新期限まであと${days}日)`;
      if (days === 0) return `${time}(本日失効)`;
      return `${time}(${-days}日前に失効)`;
    },
    canarySection: (n) => `メールボックスの監視(${n}件)`,
    canaryIntro:
      '承認メールが届きうる各アドレスに、毎日テストメールを送っています。届かないアドレスがあれば、そこに届くACMのメールは失われます。MXレコード、転送設定、SESの受信ルールセットを確認してください(npx acm-mail doctor で原因を確認できます)。',
    canaryArrived: (lastSuccess) => `正常: 最後に届いたのは ${lastSuccess}`,
    canaryMissing: (missingAt, lastSuccess) =>
      `未着: 最新のテストメールが届いていません${missingAt === null ? '' : `(${missingAt} に検出)`}。${
        lastSuccess === null ? 'これまで一度も届いていません。' : `最後に届いたのは ${lastSuccess}。`
      }`,
    canaryPending: '送信済み: 最初のテストメールはまだ届いていません。',
    canaryNever: '未実施: このアドレスにはまだテストメールを送っていません。',
    estateSection: (n) => `メール検証のままの証明書(${n}件)`,
    estateSummary: (n, ready) =>
      `担当の証明書のうち${n}件は、誰かがメールを承認しないと更新されません。そのうち${ready}件は、すべての名前が既知のRoute 53ホストゾーンにあり、今すぐDNS検証へ移行できます。`,
    estateNextExpiry: (domain, account, time) => `次に有効期限を迎えるのは ${domain}(${account})で、${time}です。`,
    estateUnusedExpiring: (n) =>
      `${n}件は使用されておらず、45日以内に失効します。ACMから誰も予期しない承認依頼が届きます。不要なら削除してください。`,
    estateIncomplete:
      '一覧を取得できなかったアカウントまたはリージョンがあります。件数は実際より少ない可能性があります。',
    estateHowTo: (listedAt) =>
      `${listedAt} 時点の一覧です。証明書ごとの手順: npx acm-mail estate(README「Moving off email validation」)。`,
    compactLegend:
      '1行に1件: 期限 | 承認 | ドメイン | アカウント | リージョン | 種別 | チケット | 信頼性 | ACMの状態 | 証明書の有効期限 | 送信先 | 初回受信 | リンク(クリック不可) | 注記',
    footer:
      '承認は承認ページ(「I Approve」)でのみ行われます。このパイプラインが承認することはありません。リンクをクリックできるのは、承認期限内で当社アカウントからの検証済みACMメールに限られます。',
  },
};
